from . import urls_observations, urls_reviews, urls_sheet

app_name = "reviews"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.
# Each part keeps its addresses in its own module; they are one namespace, "reviews".
urlpatterns = [*urls_observations.urlpatterns, *urls_reviews.urlpatterns, *urls_sheet.urlpatterns]
