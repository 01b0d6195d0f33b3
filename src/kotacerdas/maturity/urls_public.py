"""Public results and open data (SPEC §10), mounted at /hasil/ and /data/."""

app_name = "open_results"

urlpatterns = []
