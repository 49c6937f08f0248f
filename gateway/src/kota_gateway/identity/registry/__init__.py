"""The civil registry (Dukcapil) as the suite sees it: one port (`port.CivilRegistry`), its
adapter to Dukcapil's web service for agencies (`dukcapil`), and the audit and daily quota
every call goes through (`audit`). Only the gateway's identity talks to the registry; a
service that needs a family card asks the gateway for the caller's own (`router`)."""
