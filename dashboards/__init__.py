"""Managers' dashboards: who may see which figures, the period they cover, and how a rate is shown."""
