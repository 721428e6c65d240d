from django.urls import URLPattern

app_name = "vetting"
urlpatterns: list[URLPattern] = []
