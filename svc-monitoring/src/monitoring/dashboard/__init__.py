"""The dashboard for officials: signed in with the gateway's accounts, every service's figures
as pages and charts, drill-down from permit types to districts, and the alerts."""
