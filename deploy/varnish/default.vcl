vcl 4.1;
# Broadsheet's reference edge: Varnish 7.1 (Debian's `varnish`) with vmod xkey
# (Debian's `varnish-modules`). docs/deploy.md, "Varnish in front", explains
# how it is run; broadsheet/edge/tests/test_varnish_vcl.py is its specification.
#
# This file is a template. broadsheet/edge/varnish.py (vcl_render) fills in:
#   {{BACKEND_HOST}}  the address the site's ASGI server listens on (127.0.0.1)
#   {{BACKEND_PORT}}  its port (8000)
#   {{PURGE_TOKEN}}   the shared secret purgers send in X-Purge-Token
#                     (the site's BROADSHEET_EDGE_PURGE_TOKEN)
#   {{PROBE_HOST}}    the Host header of the health probe: one of the site's
#                     ALLOWED_HOSTS (Django answers 400 to any other host, and
#                     a probe that always fails would mark the site down)
#
# Reference: https://varnish-cache.org/docs/7.1/users-guide/vcl.html
#            https://varnish-cache.org/docs/7.1/reference/vcl-var.html

import std;
import xkey;

# The site answers /healthz with 503 while its database does not answer
# (broadsheet/edge/health.py). Polled every second and judged on the last 3
# polls, so a dead database is noticed within ~2 s and a recovery as fast.
# .initial = .threshold: a freshly started Varnish trusts the backend at once.
probe healthz {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: {{PROBE_HOST}}"
        "User-Agent: Varnish health probe"
        "Connection: close";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend site {
    .host = "{{BACKEND_HOST}}";
    .port = "{{BACKEND_PORT}}";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
}

# Who may send PURGE at all (the token is checked as well). The site purges
# from its own machines; add their addresses or networks here, e.g.
#   "10.0.0.0"/8;
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Set only by this VCL (vcl_synth, vcl_hit) between restarts; a client
    # must not choose how stale its answer may be.
    if (req.restarts == 0) {
        unset req.http.X-Broadsheet-Stale;
        unset req.http.X-Broadsheet-Fresh;
        unset req.http.X-Broadsheet-Pass;
    }

    # Campaign tags make every shared link a new cache object for the same
    # page; the page never reads them (analytics reads them in the browser).
    if (req.url ~ "[?&](utm_[A-Za-z_]+|fbclid|gclid|msclkid)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[A-Za-z_]+|fbclid|gclid|msclkid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]$", "");
    }

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Method Not Allowed"));
        }
        if (req.http.X-Purge-Token != "{{PURGE_TOKEN}}") {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            # Hard purge: the site sends it after a change is committed, so
            # the old page must not be served again, not even while the
            # next copy is fetched.
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged"));
        }
        if (req.http.xkey-softpurge) {
            # Soft purge, for parts that pages also update live (the
            # newsfeed box, comment counts): the old copy may be served once
            # more, within its stale-while-revalidate window, while Varnish
            # fetches the new one in the background.
            set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Purged"));
        }
        # No keys: the object at this URL (and Host), for URL-based purgers.
        return (purge);
    }

    # Event streams and websockets are piped: a passed response is an
    # "ordinary HTTP1 response", cut after send_timeout (600 s total), while
    # a piped connection only ends after pipe_timeout of silence (the app
    # writes a comment every 20 s). The builtin vcl_pipe closes the
    # connection afterwards, so no later request rides the pipe.
    if (req.url ~ "^/realtime/" || req.http.Upgrade ~ "(?i)websocket") {
        return (pipe);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Staff and reader pages, in English at the root or under a language
    # prefix (/ru/accounts/, /pt-br/readers/): personal, never shared.
    if (req.url ~ "^(/[a-z]{2,3}(-[a-z0-9]+)?)?/(admin|django-admin|accounts|readers)(/|\?|$)") {
        return (pass);
    }

    # A Django session means a signed-in reader or staff member: their
    # pages differ from the shared ones.
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
    # Anonymous pages are the same for everyone: their cookies (csrftoken,
    # analytics) never reach the site, which therefore cannot vary on them.
    unset req.http.Cookie;

    if (req.http.Authorization) {
        return (pass);
    }
    # Back from vcl_hit: a stale copy past its stale-while-revalidate.
    if (req.http.X-Broadsheet-Fresh && !req.http.X-Broadsheet-Stale) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hit {
    # Objects are kept for stale-if-error (24 h) but served stale only for
    # their stale-while-revalidate while the site is healthy. Past that,
    # look again with no grace: a miss that waits for a fresh page. (Varnish
    # 6+ has no return (miss) from vcl_hit; req.grace is set before the
    # lookup, when the object's own stale-while-revalidate is not known.)
    if (obj.ttl < 0s && !req.http.X-Broadsheet-Stale && std.healthy(req.backend_hint)
        && obj.ttl + std.duration(obj.http.X-Broadsheet-SWR, 0s) < 0s) {
        set req.http.X-Broadsheet-Fresh = "1";
        return (restart);
    }
    return (deliver);
}

sub vcl_pass {
    set req.http.X-Broadsheet-Pass = "1";
}

sub vcl_backend_fetch {
    unset bereq.http.X-Broadsheet-Stale;
    unset bereq.http.X-Broadsheet-Fresh;
    unset bereq.http.X-Broadsheet-Pass;
}

sub vcl_backend_response {
    # A failed revalidation must not replace the page readers are getting.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Nor may a failed foreground fetch, when a stale copy exists: abandon
    # answers 503 in vcl_synth, which looks again allowing any staleness.
    if (beresp.status >= 500 && !bereq.uncacheable) {
        return (abandon);
    }

    # The site names what each page shows in xkey; other surrogate-key
    # dialects are accepted too (both are space/comma lists, as xkey reads).
    if (!beresp.http.xkey && beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (!beresp.http.xkey && beresp.http.Cache-Tag) {
        set beresp.http.xkey = beresp.http.Cache-Tag;
    }

    if (bereq.uncacheable) {
        return (deliver);
    }

    # Personal or cookie-setting answers are never stored (and so no cookie
    # is ever handed to the next reader). Hit-for-miss, briefly: the next
    # request fetches again and may be cacheable.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Surrogate-Control ~ "(?i)no-store"
        || beresp.http.Vary == "*"
        || beresp.ttl <= 0s) {
        set beresp.ttl = 10s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # TTL comes from s-maxage (Varnish's default reading of Cache-Control).
    # Varnish reads stale-while-revalidate into beresp.grace; vcl_hit uses
    # it while the site is healthy. The object itself is kept for
    # stale-if-error (default 24 h), served when the probe says the site
    # is sick or a fetch fails.
    # https://varnish-cache.org/docs/7.1/users-guide/vcl-grace.html
    set beresp.http.X-Broadsheet-SWR = "" + beresp.grace + "s";
    if (beresp.http.Cache-Control ~ "(?i)stale-if-error=\d+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=(\d+).*$", "\1s"), 24h);
    } else {
        set beresp.grace = 24h;
    }
    return (deliver);
}

sub vcl_backend_error {
    # Not reachable, timed out or marked sick: vcl_synth decides (a stale
    # copy, else the branded page). A background fetch just gives up.
    return (abandon);
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Cache-Control = "no-store";
        if (resp.status == 200 && req.http.X-Purged) {
            set resp.http.X-Purged = req.http.X-Purged;
        }
        return (deliver);
    }
    # 503 here comes from an abandoned fetch (vcl_backend_response or
    # vcl_backend_error). Look again once, accepting any stale copy kept.
    if (resp.status == 503 && !req.http.X-Broadsheet-Stale && !req.http.X-Broadsheet-Pass
        && (req.method == "GET" || req.method == "HEAD")) {
        set req.http.X-Broadsheet-Stale = "1";
        return (restart);
    }
    if (resp.status == 503) {
        # Nothing to serve: a page of our own, without assets that would
        # come from the same unavailable site.
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Retry-After = "30";
        set resp.http.Cache-Control = "no-store";
        set resp.reason = "Service Unavailable";
        synthetic({"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>Broadsheet — back in a moment</title>
<style>
body{margin:0;font:18px/1.5 Georgia,"Times New Roman",serif;color:#111;background:#fbfaf7}
main{max-width:36rem;margin:12vh auto;padding:0 1.5rem;text-align:center}
h1{font-size:2.6rem;letter-spacing:.02em;margin:0 0 .5rem;border-bottom:3px double #111;padding-bottom:.5rem}
p{margin:.75rem 0}small{color:#555}
</style>
</head>
<body>
<main>
<h1>Broadsheet</h1>
<p><strong>We will be back in a moment.</strong></p>
<p>The newsroom's server is not answering just now. This page reloads itself
in 30 seconds, or you can reload it yourself.</p>
<p><small>Error 503 · "} + req.xid + {"</small></p>
</main>
</body>
</html>
"});
        return (deliver);
    }
}

sub vcl_deliver {
    # Surrogate keys are the site's business with its edge, not the reader's.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    unset resp.http.X-Broadsheet-SWR;

    # What happened, for tests and operators (Age stays as Varnish sets it).
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    set resp.http.X-Cache-Hits = obj.hits;
    if (obj.ttl < 0s && obj.hits > 0) {
        set resp.http.X-Cache-Stale = "1";
    }
}
