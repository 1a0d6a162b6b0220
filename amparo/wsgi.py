import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
os.umask(0o077)  # as amparo.cli.PRIVATE_UMASK, for a gunicorn started without `amparo serve`
application = get_wsgi_application()
