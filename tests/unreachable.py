"""Settings for tests of what readers get while a service is down."""

# A Redis cache nothing listens for (port 1), giving up quickly.
UNREACHABLE_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
