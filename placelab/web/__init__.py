"""The Django application: stores studies, runs the survey, schedules analyses and shows them.

Rules live in ``placelab.core``; this package stores, schedules and shows (DESIGN.md).
"""
