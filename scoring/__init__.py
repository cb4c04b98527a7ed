"""zonescore: score, rank and classify assessment units from readable rule files."""
__version__ = "0.1.0"
