"""The pilot's charts: the platform's horizontal bar chart (`mileage.core.charts`)."""

from __future__ import annotations

from mileage.core.charts import bar_chart_svg

__all__ = ["bar_chart_svg"]
