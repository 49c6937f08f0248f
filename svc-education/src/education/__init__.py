"""Education (pendidikan): the city's schools, and later admissions (SPMB) and results."""
