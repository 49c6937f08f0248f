"""The digital divide: how much of each service is done for citizens by kiosk officers.

The seed's own question (who is not reached by the app), answered per service, district and
day: a citizen served at a kiosk is a citizen the app did not reach.
"""
