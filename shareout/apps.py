from django.apps import AppConfig


class ShareoutConfig(AppConfig):
    name = "shareout"
    verbose_name = "Pembagian hasil usaha"

    def ready(self) -> None:
        # The yearly LPJ (books.lpj) lists the year's share-out in its notes; books sits below this
        # app, so it asks the notes of the apps that register them.
        from books.lpj import notes_register
        from shareout.selectors import lpj_notes

        notes_register(lpj_notes)
