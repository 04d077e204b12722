"""The start page: which bodies this deployment serves, each with its own complaint form."""

from django.shortcuts import render

from policies.selectors import current_policies


def home(request):
    return render(request, "home.html", {"policies": current_policies()})
