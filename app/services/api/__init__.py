"""The FHIR API's rules: registered clients and their tokens, SMART scopes, who a token may see,
the FHIR resources built from our rows (shared with the patient's own FHIR download), searches
paged in SQL, bulk exports and per-client rate limits (docs/fhir.md)."""
