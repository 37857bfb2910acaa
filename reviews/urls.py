from . import urls_config, urls_coverage, urls_mine, urls_observations, urls_requests, urls_reviews, urls_sheet

app_name = "reviews"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.
# Each part keeps its addresses in its own module; they are one namespace, "reviews".
urlpatterns = [
    *urls_observations.urlpatterns,
    *urls_requests.urlpatterns,
    *urls_reviews.urlpatterns,
    *urls_config.urlpatterns,
    *urls_sheet.urlpatterns,
    *urls_coverage.urlpatterns,
    *urls_mine.urlpatterns,
]
