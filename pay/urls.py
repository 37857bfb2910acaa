from . import urls_budget, urls_mine, urls_placements, urls_scales, urls_table

app_name = "pay"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.
# Each part keeps its addresses in its own module; they are one namespace, "pay".
urlpatterns = [
    *urls_scales.urlpatterns,
    *urls_table.urlpatterns,
    *urls_mine.urlpatterns,
    *urls_budget.urlpatterns,
    *urls_placements.urlpatterns,
]
