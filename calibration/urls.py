from . import urls_calibration, urls_cockpit, urls_mine, urls_rules, urls_window

app_name = "calibration"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.
urlpatterns = [
    *urls_calibration.urlpatterns,
    *urls_window.urlpatterns,
    *urls_mine.urlpatterns,
    *urls_rules.urlpatterns,
    *urls_cockpit.urlpatterns,
]
