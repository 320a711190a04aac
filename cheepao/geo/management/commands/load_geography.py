from django.core.management.base import BaseCommand

from cheepao.geo import services


class Command(BaseCommand):
    help = (
        "Load or refresh all provinces, districts and subdistricts from the geothai package. "
        "Safe to run again: only differences are written."
    )

    def handle(self, *args, **options) -> None:
        result = services.geography_load()
        for level in ("provinces", "districts", "subdistricts"):
            c = getattr(result, level)
            self.stdout.write(
                f"{level}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            )
        self.stdout.write(self.style.SUCCESS(f"geography loaded ({result.changed} changed)"))
