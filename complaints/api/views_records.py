"""Deadlines, councils and their policy, Ombudsman cases, feedback and the dashboard figures."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api import serializers_complaints as sc
from complaints.api import serializers_records as sr
from complaints.api.actions import council_officer
from complaints.api.authentication import caller
from complaints.api.errors import error_body
from complaints.api.pagination import DeadlinePagination, NewestFirstPagination, paginated
from complaints.api.scoping import REFERENCE, open_council_deadlines, overdue_council_deadlines, visible_complaints
from complaints.models import Deadline, ServiceArea
from complaints.services import records
from ombudsman.models import OmbudsmanCase
from ombudsman.services import ombudsman_case_open
from policies.departures import policy_departures
from policies.selectors import NoPolicyInForce, policy_version_in_force


class DeadlineListView(APIView):
    pagination_class = DeadlinePagination

    @extend_schema(tags=["deadlines"], parameters=[sr.DeadlineFilterSerializer],
                   summary="The council's deadlines, soonest first, each with its explanation",
                   responses=sc.DeadlineSerializer(many=True))
    def get(self, request):
        filters = sr.DeadlineFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        council = caller(request).council
        rows = Deadline.objects.filter(council=council).filter(
            Q(complaint__isnull=True) | Q(complaint__in=visible_complaints(request)))
        if "overdue" in f:
            overdue = overdue_council_deadlines(council, sc.today()).values("pk")
            rows = rows.filter(pk__in=overdue) if f["overdue"] == "true" else rows.exclude(pk__in=overdue)
        if "open" in f:
            is_open = Q(met_at__isnull=True, cancelled_at__isnull=True)
            rows = rows.filter(is_open) if f["open"] == "true" else rows.exclude(is_open)
        if "stage" in f:
            rows = rows.filter(stage=f["stage"])
        if "kind" in f:
            rows = rows.filter(kind=f["kind"])
        return paginated(self, request, rows.select_related("complaint"), sc.DeadlineSerializer)


def council_data(council) -> dict:
    data = {"slug": council.slug, "name": council.name, "short_name": council.short_name,
            "reference_prefix": council.reference_prefix, "policy": None}
    try:
        version = policy_version_in_force(council=council, on=sc.today())
    except NoPolicyInForce:
        return data
    policy = version.policy
    data["policy"] = {
        "version_id": version.version_id, "effective_from": version.effective_from,
        "document": policy.version.document, "default_ombudsman": policy.ombudsman.default,
        "stages": [{"key": s.key, "name": s.name, "letter_label": s.letter_label} for s in policy.stages],
        "departures": [d.as_dict() for d in policy_departures(policy)],
    }
    return data


class CouncilListView(APIView):

    @extend_schema(tags=["councils"], summary="The caller's council and its current policy",
                   responses=sr.CouncilSerializer(many=True))
    def get(self, request):
        return Response(sr.CouncilSerializer([council_data(caller(request).council)], many=True).data)


class CouncilDetailView(APIView):

    @extend_schema(tags=["councils"], summary="A council (only the caller's) and its policy's departures",
                   responses=sr.CouncilSerializer)
    def get(self, request, slug):
        council = caller(request).council
        if slug != council.slug:
            raise Http404("No such council")
        return Response(sr.CouncilSerializer(council_data(council)).data)


def ombudsman_cases(request):
    return (OmbudsmanCase.objects.filter(council=caller(request).council)
            .select_related("complaint", "council_contact")
            .prefetch_related("enquiries__deadline", "decisions"))


class OmbudsmanCaseListView(APIView):
    pagination_class = NewestFirstPagination

    @extend_schema(tags=["ombudsman"], summary="The council's Ombudsman cases, newest first",
                   responses=sr.OmbudsmanCaseSerializer(many=True))
    def get(self, request):
        return paginated(self, request, ombudsman_cases(request), sr.OmbudsmanCaseSerializer)

    @extend_schema(tags=["ombudsman"], request=sr.OmbudsmanCaseCreateSerializer,
                   responses={201: sr.OmbudsmanCaseSerializer},
                   summary="Record an Ombudsman case (a linked complaint moves to the Ombudsman stage)")
    def post(self, request):
        body = sr.OmbudsmanCaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        complaint = None
        if d["complaint"]:
            if not REFERENCE.match(d["complaint"]):
                raise serializers.ValidationError({"complaint": ["No such complaint in your council."]})
            complaint = visible_complaints(request).filter(reference=d["complaint"]).first()
            if complaint is None:
                raise serializers.ValidationError({"complaint": ["No such complaint in your council."]})
        contact = None
        if d["council_contact"]:
            contact = council_officer(caller(request).council.pk, d["council_contact"], "council_contact")
        their_reference = d["their_reference"].strip()
        if OmbudsmanCase.objects.filter(ombudsman=d["ombudsman"], their_reference=their_reference).exists():
            return Response(error_body("duplicate", "That Ombudsman reference is already recorded"),
                            status=status.HTTP_409_CONFLICT)
        try:
            with transaction.atomic():
                case = ombudsman_case_open(
                    council=caller(request).council, by=request.user, ombudsman=d["ombudsman"],
                    their_reference=d["their_reference"], received_on=d["received_on"], complaint=complaint,
                    council_contact=contact)
        except IntegrityError:  # the same reference recorded at the same moment
            return Response(error_body("duplicate", "That Ombudsman reference is already recorded"),
                            status=status.HTTP_409_CONFLICT)
        return Response(sr.OmbudsmanCaseSerializer(ombudsman_cases(request).get(pk=case.pk)).data,
                        status=status.HTTP_201_CREATED)


class OmbudsmanCaseDetailView(APIView):

    @extend_schema(tags=["ombudsman"], summary="An Ombudsman case with its enquiries and decisions",
                   responses=sr.OmbudsmanCaseSerializer)
    def get(self, request, pk):
        case = ombudsman_cases(request).filter(pk=pk).first()
        if case is None:
            raise Http404("No such Ombudsman case")
        return Response(sr.OmbudsmanCaseSerializer(case).data)


class FeedbackListCreateView(APIView):
    pagination_class = NewestFirstPagination

    @extend_schema(tags=["feedback"], parameters=[sr.FeedbackFilterSerializer],
                   summary="Compliments, comments and suggestions, newest first",
                   responses=sr.FeedbackSerializer(many=True))
    def get(self, request):
        filters = sr.FeedbackFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        rows = caller(request).council.feedback.all()
        if "kind" in filters.validated_data:
            rows = rows.filter(kind=filters.validated_data["kind"])
        return paginated(self, request, rows, sr.FeedbackSerializer)

    @extend_schema(tags=["feedback"], request=sr.FeedbackCreateSerializer, responses={201: sr.FeedbackSerializer},
                   summary="Record a compliment, comment or suggestion")
    def post(self, request):
        body = sr.FeedbackCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        council = caller(request).council
        area = None
        if d["service_area"] is not None:
            area = ServiceArea.objects.filter(council=council, pk=d["service_area"]).first()
            if area is None:
                raise serializers.ValidationError({"service_area": ["No such service area in your council."]})
        item = records.feedback_record(council=council, kind=d["kind"], text=d["text"],
                                       received_at=d.get("received_at") or timezone.now(), service_area=area,
                                       name=d["name"], email=d["email"])
        return Response(sr.FeedbackSerializer(item).data, status=status.HTTP_201_CREATED)


class DashboardView(APIView):

    @extend_schema(tags=["dashboard"], summary="Open and overdue deadlines by stage, for the caller's council",
                   responses=sr.DashboardSerializer)
    def get(self, request):
        council, today = caller(request).council, sc.today()
        rows = (open_council_deadlines(council).values("stage").order_by("stage")
                .annotate(open=Count("id"), overdue=Count("id", filter=Q(paused=False, due_date__lt=today))))
        stages = [{"stage": r["stage"], "open": r["open"], "overdue": r["overdue"]} for r in rows]
        return Response(sr.DashboardSerializer({
            "council": council.slug, "today": today, "stages": stages,
            "open": sum(s["open"] for s in stages), "overdue": sum(s["overdue"] for s in stages),
        }).data)
