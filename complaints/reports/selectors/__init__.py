"""Reads for the dashboard and the reports; every one is scoped to a council.

``None`` as the council means the whole deployment and is for system
administrators only (the views decide who may ask for it).
"""

from complaints.reports.selectors.dashboard import (
    DEFAULT_WITHIN,
    MAX_WITHIN,
    Dashboard,
    OverdueRow,
    deployment_dashboard,
    overdue_dashboard,
)
from complaints.reports.selectors.figures import Figures, StageFigures, period_figures
from complaints.reports.selectors.reports import Report, Trends, annual_report, quarterly_report, trends

__all__ = [
    "DEFAULT_WITHIN", "MAX_WITHIN", "Dashboard", "Figures", "OverdueRow", "Report", "StageFigures", "Trends",
    "annual_report", "deployment_dashboard", "overdue_dashboard", "period_figures", "quarterly_report", "trends",
]
