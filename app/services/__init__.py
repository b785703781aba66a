"""Rules that touch the database: one home for what the views call.

Views parse a request, call one of these, and render. The clinical rules themselves are pure
functions in `app.care`; these modules gather the rows those rules need (in a fixed number of
queries) and write what they decide.
"""
