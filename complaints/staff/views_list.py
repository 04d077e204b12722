"""The case list: my cases, the team queue and unassigned cases, filtered, searched and paged."""

from django.shortcuts import render
from django.utils import timezone

from complaints.staff.access import staff_required
from complaints.staff.forms_list import CaseFilterForm
from complaints.staff.queries import CaseSearch, default_queue, page_of, queues_for
from deadlines.calendar import london_date


MAX_PAGE = 10_000  # far past any real list; a larger number would overflow the database's integers


def _page_number(text: str | None) -> int:
    try:
        return min(MAX_PAGE, max(1, int(text or 1)))
    except ValueError:
        return 1


@staff_required
def case_list(request):
    member = request.member
    today = london_date(timezone.now())
    queues = queues_for(member)
    queue = request.GET.get("queue") if request.GET.get("queue") in queues else default_queue(member)
    form = CaseFilterForm(request.GET or None, member=member, today=today)
    filters = form.filters() if form.is_bound else {}
    page = page_of(CaseSearch(member, queue, filters, today), _page_number(request.GET.get("page")))

    def link(**changes) -> str:
        params = request.GET.copy()
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None:
                params[key] = value
        return f"?{params.urlencode()}" if params else "?"

    return render(request, "staff/case_list.html", {
        "form": form, "page": page, "queue": queue, "queue_label": queues[queue],
        "queues": [(key, label, link(queue=key, page=None), key == queue) for key, label in queues.items()],
        "previous_url": link(page=str(page.number - 1)) if page.has_previous else "",
        "next_url": link(page=str(page.number + 1)) if page.has_next else "",
        "filtered": bool(filters), "nav_cases": True, "organisation_name": member.council.name, "member": member,
    })
