"""JSON for the pages that update themselves, and for analysts' own tools.

Signed-in users only, through the same access check as the pages.
"""

from django.urls import path

from placelab.web.api import views_analysis, views_map, views_rates, views_status

app_name = "api"
WAVE = "studies/<int:study_id>/waves/<int:number>/"

urlpatterns = [
    path("studies/<int:study_id>/status.json", views_status.study_status, name="study_status"),
    path(WAVE + "response-rate.json", views_rates.response_rate, name="response_rate"),
    path(WAVE + "analysis.json", views_analysis.analysis_status, name="analysis_status"),
    path(WAVE + "result.json", views_analysis.analysis_result, name="analysis_result"),
    path(WAVE + "map.json", views_map.map_data, name="map_data"),
]
