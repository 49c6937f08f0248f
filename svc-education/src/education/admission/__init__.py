"""The rules of school admission (SPMB, Permendikdasmen 3/2025): the period, pathways and
quotas, who is eligible, the home-school distance and the ranking. Pure, except the router."""
