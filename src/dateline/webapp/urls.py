from django.urls import path

from . import views

root_patterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("push/opened/<int:alert_id>/", views.push_opened, name="push_opened"),
]

language_patterns = (
    [
        path("manifest.webmanifest", views.manifest, name="manifest"),
        path("offline/", views.offline, name="offline"),
        path("push/key/", views.push_key, name="push_key"),
        path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
        path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    ],
    "webapp",
)
