"""Maps of progress (issue 13 item 3, ADR 0033): a choropleth of one rate per area from the
monthly snapshots, drilled down from the country to a subdistrict and its household pins."""
