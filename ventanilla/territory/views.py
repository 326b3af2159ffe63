from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ventanilla.territory import selectors


@login_required
def attention_point_list(request):
    return render(request, "territory/attention_point_list.html", {
        "city": selectors.current_city(),
        "points": selectors.attention_points_active(),
    })
