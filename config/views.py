"""The start page: which bodies this deployment serves.

A placeholder for the residents' front door (issue 7): it already lists the
loaded policies, so a newcomer can see the run command worked.
"""

from django.shortcuts import render

from policies.selectors import current_policies


def home(request):
    return render(request, "home.html", {"policies": current_policies()})
