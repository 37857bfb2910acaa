from django.http import Http404

from .permissions import MANAGE_PEOPLE
from .tenancy import org_view


@org_view(MANAGE_PEOPLE)
def import_upload(request):
    raise Http404


@org_view(MANAGE_PEOPLE)
def import_preview(request, import_id):
    raise Http404


@org_view(MANAGE_PEOPLE)
def import_apply(request, import_id):
    raise Http404
