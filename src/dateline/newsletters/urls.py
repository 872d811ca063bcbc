from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:link>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/<int:list_id>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
]
