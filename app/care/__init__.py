"""The PRP protocol as plain Python: no Flask, no database, no hidden clock.

Every function takes the dates it needs (`today` is a clinic-time-zone date), so the rules can be
tested at every boundary without time travel.
"""
