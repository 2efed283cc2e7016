"""placelab's domain, in pure Python: no Django import anywhere below this package."""
