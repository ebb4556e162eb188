"""The dashboard: every figure behind its tiles and charts, worked out in SQL."""
