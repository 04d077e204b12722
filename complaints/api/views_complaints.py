"""Complaints: list, create, read, the actions that move them, notes, correspondence, deadlines."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api import serializers_complaints as sc
from complaints.api import serializers_records as sr
from complaints.api.actions import ACTIONS, ActionSpec
from complaints.api.audit import api_read_record
from complaints.api.authentication import caller
from complaints.api.pagination import ComplaintPagination, paginated
from complaints.api.scoping import (
    case_for_output,
    get_case,
    open_council_deadlines,
    visible_complaints,
    with_overdue_flag,
)
from complaints.services import intake, records
from complaints.staff.moves import MOVES_BY_SLUG
from deadlines.calendar import LONDON

TAG = ["complaints"]


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


class ComplaintListCreateView(APIView):
    pagination_class = ComplaintPagination

    @extend_schema(tags=TAG, parameters=[sc.ComplaintFilterSerializer], summary="List the council's complaints",
                   responses=sc.ComplaintSummarySerializer(many=True))
    def get(self, request):
        filters = sc.ComplaintFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        today = sc.today()
        cases = with_overdue_flag(visible_complaints(request), today).select_related("assigned_officer")
        if "stage" in f:
            cases = cases.filter(stage=f["stage"])
        if "state" in f:
            cases = cases.filter(state=f["state"])
        if "overdue" in f:
            cases = cases.filter(is_overdue=f["overdue"] == "true")
        if "due_before" in f:
            due = open_council_deadlines(caller(request).council).filter(
                complaint=OuterRef("pk"), due_date__lt=f["due_before"])
            cases = cases.filter(Exists(due))
        if "service_area" in f:
            cases = cases.filter(service_areas=f["service_area"])
        if "received_from" in f:
            cases = cases.filter(received_at__gte=_day_start(f["received_from"]))
        if "received_to" in f:
            cases = cases.filter(received_at__lt=_day_start(f["received_to"] + dt.timedelta(days=1)))
        return paginated(self, request, cases.distinct(), sc.ComplaintSummarySerializer)

    @extend_schema(tags=TAG, request=sc.ComplaintCreateSerializer, responses={201: sc.ComplaintSerializer},
                   summary="Record a new complaint (the same checks as the public form and officer screens)")
    def post(self, request):
        body = sc.ComplaintCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        person, rep = d["complainant"], d["representative"]
        case = intake.complaint_create(
            council=caller(request).council, by=request.user, received_at=d.get("received_at") or timezone.now(),
            details=intake.ComplaintDetails(
                summary=d["summary"], channel=d["channel"], complainant_words=d["complainant_words"],
                desired_outcome=d["desired_outcome"], incident_date=d["incident_date"], aware_date=d["aware_date"],
                category=d["category"], service_area_ids=d["service_areas"]),
            complainant=intake.ComplainantDetails(**person),
            representative=intake.RepresentativeDetails(**rep) if rep else None,
            anonymous=d["anonymous"])
        return Response(sc.ComplaintSerializer(case_for_output(case)).data, status=status.HTTP_201_CREATED)


class ComplaintDetailView(APIView):

    @extend_schema(tags=TAG, summary="A complaint by reference, with its deadlines and their explanations",
                   responses=sc.ComplaintSerializer)
    def get(self, request, reference):
        case = get_case(request, reference)
        api_read_record(request, case)
        return Response(sc.ComplaintSerializer(case_for_output(case)).data)


class ComplaintActionView(APIView):
    """POST one action; answers the case as it now is (new state, version and deadlines)."""

    spec: ActionSpec

    def post(self, request, reference):
        case = get_case(request, reference)  # first: another council's case is a 404 whatever the body
        move = MOVES_BY_SLUG[self.spec.move]
        if caller(request).role not in move.roles:
            raise PermissionDenied(f"Your role cannot {move.label[0].lower()}{move.label[1:]}")
        body = self.spec.serializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.spec.perform(case, body.validated_data, request)
        return Response(sc.ComplaintSerializer(case_for_output(case)).data)


def action_view(spec: ActionSpec):
    def post(self, request, reference):
        return ComplaintActionView.post(self, request, reference)

    post = extend_schema(tags=["complaint actions"], request=spec.serializer,
                         responses={200: sc.ComplaintSerializer}, summary=spec.summary,
                         operation_id=f"complaints_{spec.name.replace('-', '_')}")(post)
    name = f"Complaint{spec.name.title().replace('-', '')}View"
    return type(name, (ComplaintActionView,), {"spec": spec, "post": post}).as_view()


ACTION_VIEWS = {spec.name: action_view(spec) for spec in ACTIONS}


class ComplaintNotesView(APIView):

    @extend_schema(tags=TAG, summary="The complaint's notes, oldest first", responses=sr.NoteSerializer(many=True))
    def get(self, request, reference):
        case = get_case(request, reference)
        api_read_record(request, case, "notes")
        notes = case.notes.select_related("author").order_by("created_at", "id")
        return Response(sr.NoteSerializer(notes, many=True).data)

    @extend_schema(tags=TAG, summary="Add a note", request=sr.NoteCreateSerializer,
                   responses={201: sr.NoteSerializer})
    def post(self, request, reference):
        case = get_case(request, reference)
        body = sr.NoteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = records.complaint_add_note(complaint=case, by=request.user, text=body.validated_data["text"])
        return Response(sr.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class ComplaintCorrespondenceView(APIView):

    @extend_schema(tags=TAG, summary="Letters, emails, calls and meetings, oldest first",
                   responses=sr.CorrespondenceSerializer(many=True))
    def get(self, request, reference):
        case = get_case(request, reference)
        api_read_record(request, case, "correspondence")
        items = (case.correspondence.select_related("recorded_by").prefetch_related("attachments")
                 .order_by("occurred_at", "id"))
        return Response(sr.CorrespondenceSerializer(items, many=True, context={"reference": case.reference}).data)

    @extend_schema(tags=TAG, summary="Record correspondence", request=sr.CorrespondenceCreateSerializer,
                   responses={201: sr.CorrespondenceSerializer})
    def post(self, request, reference):
        case = get_case(request, reference)
        body = sr.CorrespondenceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        item = records.complaint_record_correspondence(
            complaint=case, by=request.user, direction=d["direction"], kind=d["kind"], subject=d["subject"],
            body=d["body"], occurred_at=d.get("occurred_at") or timezone.now())
        return Response(sr.CorrespondenceSerializer(item, context={"reference": case.reference}).data,
                        status=status.HTTP_201_CREATED)


class ComplaintDeadlinesView(APIView):

    @extend_schema(tags=TAG, summary="The complaint's deadlines, each with how it was worked out",
                   responses=sc.DeadlineSerializer(many=True))
    def get(self, request, reference):
        case = get_case(request, reference)
        rows = case.deadlines.select_related("complaint").order_by("due_date", "id")
        return Response(sc.DeadlineSerializer(rows, many=True).data)
