from django.urls import path

from . import views

root_patterns = [path("sw.js", views.service_worker, name="service_worker")]

language_patterns = (
    [
        path("manifest.webmanifest", views.manifest, name="manifest"),
        path("offline/", views.offline, name="offline"),
    ],
    "webapp",
)
