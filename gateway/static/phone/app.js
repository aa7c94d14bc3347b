/* The phone app: a household member signs in with phone number and password (the password grant,
   client sbc-phone), the token is kept and refreshed, the home lists the household's services from
   one call (/v1/home), and a stack of screens follows the phone's back button. Domains add their
   screens in screens/<service>.js with PHONE.screen(name, {...}); the app loads that file for each
   tile the home names, so no list here names a domain. */
var PHONE = window.PHONE || {};
window.PHONE = PHONE;
(function () {
  var CLIENT_ID = "sbc-phone";
  var store = window.localStorage;
  var screens = {};
  var stack = [];
  var loaded = {};
  var stream = null;
  var expiryTimer = null;
  var pushKinds = {};

  // --- small helpers ---

  PHONE.el = function (tag, attrs, children) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    for (var k in attrs) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "cls") el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  };

  /* A large button; `name` (data-name) is what the page tests find it by. */
  PHONE.button = function (label, onClick, opts) {
    opts = opts || {};
    var el = PHONE.el("button", { type: "button", cls: opts.cls || "" }, [label]);
    if (opts.name) el.setAttribute("data-name", opts.name);
    el.addEventListener("click", function () { if (!el.disabled) onClick(el); });
    return el;
  };

  PHONE.when = function (iso) {
    if (!iso) return "";
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var year = d.getFullYear() === new Date().getFullYear() ? "" : d.getFullYear() + "年";
    return year + (d.getMonth() + 1) + "月" + d.getDate() + "日 " + two(d.getHours()) + ":" + two(d.getMinutes());
  };

  PHONE.uuid = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var s = "";
    for (var i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s.slice(0, 8) + "-" + s.slice(8, 12) + "-4" + s.slice(13, 16) + "-a" + s.slice(17, 20) + "-" + s.slice(20);
  };

  /* What went wrong, in the citizen's words where the API said it in a problem's detail. */
  PHONE.failure = function (r) {
    if (!r.status) return PHONE.t("signin.offline");
    return (r.body && (r.body.detail || r.body.error_description)) || PHONE.t("common.failed");
  };

  // --- the API ---

  PHONE.token = function () {
    var t = store.getItem("sbc.phone.token");
    var until = Number(store.getItem("sbc.phone.token_until") || 0);
    return t && until > Date.now() ? t : null;
  };

  function request(method, path, body, headers, form) {
    var h = {};
    var token = PHONE.token();
    if (token) h.Authorization = "Bearer " + token;
    for (var k in headers || {}) h[k] = headers[k];
    var data;
    if (form) {
      h["Content-Type"] = "application/x-www-form-urlencoded";
      data = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
      h["Content-Type"] = "application/json";
      data = JSON.stringify(body);
    }
    return fetch(path, { method: method, headers: h, body: data, cache: "no-store" }).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try { parsed = JSON.parse(text); } catch (e) { parsed = null; }
        return { status: res.status, body: parsed, headers: res.headers };
      });
    }, function () { return { status: 0, body: null, headers: null }; });
  }

  /* A call as the signed-in member. A 401: the phone trades its refresh token and calls again,
     once; without a new token it asks the member to sign in again. */
  var changed = false;
  PHONE.api = function (method, path, body, headers) {
    return request(method, path, body, headers).then(function (r) {
      if (r.status !== 401) return r;
      return refresh().then(function (ok) {
        if (ok) return request(method, path, body, headers);
        forget();
        signIn(PHONE.t("signin.expired"));
        return r;
      });
    }).then(function (r) {
      if (method !== "GET" && r.status >= 200 && r.status < 300) changed = true;
      return r;
    });
  };

  /* The home is cached per household: after a change of ours it is asked for fresh. */
  PHONE.homeHeaders = function () {
    var h = changed ? { "Cache-Control": "no-cache" } : {};
    changed = false;
    return h;
  };

  // --- screens, on a stack that the phone's back button walks ---

  PHONE.screen = function (name, def) { screens[name] = def; };
  PHONE.has = function (name) { return !!screens[name]; };

  PHONE.load = function (service) {
    if (!/^[a-z][a-z0-9_]*$/.test(service)) return Promise.resolve();
    if (!loaded[service]) {
      loaded[service] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = "screens/" + service + ".js";
        s.onload = s.onerror = function () { resolve(); };
        document.body.appendChild(s);
      });
    }
    return loaded[service];
  };

  function draw() {
    var entry = stack[stack.length - 1];
    var def = screens[entry.name];
    var root = document.getElementById("screen");
    root.removeAttribute("data-ready");
    root.setAttribute("data-screen", entry.name);
    document.getElementById("bar-title").textContent = def && def.title ? PHONE.t(def.title) : PHONE.t("app.title");
    document.getElementById("bar-back").hidden = stack.length <= 1;
    root.innerHTML = "";
    root.appendChild(PHONE.el("p", { cls: "muted", text: PHONE.t("common.loading") }));
    var page = PHONE.el("div", { cls: "page" });
    var drawn = entry;
    return Promise.resolve(def ? def.render(page, entry.params || {}) : page.appendChild(PHONE.el("p", { text: PHONE.t("common.failed") })))
      .then(function () {
        if (stack[stack.length - 1] !== drawn) return; // the member moved on meanwhile
        root.innerHTML = "";
        root.appendChild(page);
        window.scrollTo(0, drawn.scroll || 0);
        root.setAttribute("data-ready", "1");
      });
  }

  PHONE.open = function (name, params) {
    if (stack.length) stack[stack.length - 1].scroll = window.scrollY;
    stack.push({ name: name, params: params || {} });
    history.pushState({ depth: stack.length }, "");
    return draw();
  };

  /* Back (the bar's button, the phone's own back): the screen before, where it was scrolled to. */
  PHONE.back = function () {
    if (stack.length > 1) history.back();
  };

  /* Back to the nearest screen of that name (after a step that finished a flow). */
  PHONE.backTo = function (name) {
    var i = stack.length - 1;
    while (i > 0 && stack[i].name !== name) i--;
    if (i < stack.length - 1) history.go(i - (stack.length - 1));
  };

  window.addEventListener("popstate", function (e) {
    var depth = (e.state && e.state.depth) || 1;
    if (depth >= stack.length) return;
    stack = stack.slice(0, Math.max(1, depth));
    draw();
  });

  PHONE.redraw = function () {
    if (stack.length) stack[stack.length - 1].scroll = window.scrollY;
    return draw();
  };

  PHONE.home = function () {
    stack = [{ name: "home", params: {} }];
    history.replaceState({ depth: 1 }, "");
    return draw();
  };

  document.getElementById("bar-back").addEventListener("click", function () { PHONE.back(); });

  // --- sign-in with phone number and password ---

  function keep(body) {
    store.setItem("sbc.phone.token", body.access_token);
    store.setItem("sbc.phone.token_until", String(Date.now() + body.expires_in * 1000));
    if (body.refresh_token) store.setItem("sbc.phone.refresh_token", body.refresh_token);
  }

  function forget() {
    store.removeItem("sbc.phone.token");
    store.removeItem("sbc.phone.token_until");
    store.removeItem("sbc.phone.refresh_token");
    if (stream) { stream.close(); stream = null; }
    if (expiryTimer) { clearInterval(expiryTimer); expiryTimer = null; }
  }

  /* The refresh token for a new pair (each works once). True when the phone has a token again. */
  var refreshing = null;
  function refresh() {
    var token = store.getItem("sbc.phone.refresh_token");
    if (!token) return Promise.resolve(false);
    if (refreshing) return refreshing;
    refreshing = request("POST", "/v1/identity/token", undefined, {}, { grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: token })
      .then(function (r) {
        refreshing = null;
        if (r.status === 200) {
          keep(r.body);
          if (stream) { stream.close(); stream = null; openStream(); } // the stream's URL has the token
          return true;
        }
        // The network or the gateway away: keep what the phone has and try again later.
        if (r.status === 0 || r.status >= 500 || r.status === 429) return !!PHONE.token();
        return false;
      });
    return refreshing;
  }

  PHONE.signOut = function () {
    forget();
    signIn();
  };

  function signIn(notice) {
    stack = [{ name: "signin", params: { notice: notice || "" } }];
    history.replaceState({ depth: 1 }, "");
    return draw();
  }

  function afterSignIn() {
    if (expiryTimer) clearInterval(expiryTimer);
    // A minute before the token expires the phone refreshes it.
    expiryTimer = setInterval(function () {
      var until = Number(store.getItem("sbc.phone.token_until") || 0);
      if (until - Date.now() > 60000) return;
      refresh().then(function (ok) { if (!ok && !PHONE.token()) { forget(); signIn(PHONE.t("signin.expired")); } });
    }, 5000);
    openStream();
    if (window.Notification && Notification.permission === "granted") PHONE.subscribePush(false);
    // Opened from a Web Push notification (sw.js): what its message is about, over the home.
    var opens = /^#opens=(.+)$/.exec(location.hash);
    if (opens) history.replaceState(null, "", location.pathname);
    return PHONE.home().then(function () { if (opens) return PHONE.openPushed(decodeURIComponent(opens[1])); });
  }

  PHONE.screen("signin", {
    title: "signin.title",
    render: function (root, params) {
      var note = PHONE.el("p", { id: "signin-error", cls: "error", role: "alert" }, [params.notice || ""]);
      var phone = PHONE.el("input", { id: "phone", name: "phone", type: "tel", inputmode: "numeric", autocomplete: "username", maxlength: "20" });
      var password = PHONE.el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", maxlength: "200" });
      var submit = PHONE.el("button", { type: "submit", "data-name": "signin:submit" }, [PHONE.t("signin.submit")]);
      var form = PHONE.el("form", { novalidate: "" }, [
        PHONE.el("p", { text: PHONE.t("signin.intro") }),
        PHONE.el("label", { for: "phone", text: PHONE.t("signin.phone") }), phone,
        PHONE.el("label", { for: "password", text: PHONE.t("signin.password") }), password,
        submit, note
      ]);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        if (!phone.value.trim() || !password.value) { note.textContent = PHONE.t("signin.missing"); return; }
        submit.disabled = true;
        request("POST", "/v1/identity/token", undefined, {}, { grant_type: "password", client_id: CLIENT_ID, username: phone.value.trim(), password: password.value })
          .then(function (r) {
            submit.disabled = false;
            if (r.status === 200) { keep(r.body); return afterSignIn(); }
            password.value = "";
            if (r.status === 401) note.textContent = PHONE.t("signin.wrong");
            else if (r.status === 429) note.textContent = PHONE.t("signin.locked", { seconds: (r.headers && r.headers.get("Retry-After")) || "60" });
            else if (r.status === 400 || r.status === 422) note.textContent = PHONE.t("signin.invalid");
            else note.textContent = PHONE.t("signin.offline");
          });
      });
      root.appendChild(form);
    }
  });

  // --- the home: the household's services, from one call ---

  PHONE.screen("home", {
    title: "home.title",
    render: function (root) {
      return PHONE.api("GET", "/v1/home", undefined, PHONE.homeHeaders()).then(function (r) {
        if (r.status !== 200) {
          root.appendChild(PHONE.el("p", { cls: "error", text: PHONE.t("home.failed") }));
          root.appendChild(PHONE.button(PHONE.t("home.retry"), PHONE.redraw, { name: "home:retry" }));
          return;
        }
        var tiles = r.body.tiles;
        return Promise.all(tiles.map(function (t) { return PHONE.load(t.service); })).then(function () {
          root.appendChild(PHONE.button(PHONE.t("home.scan"), function () { PHONE.open("scan"); }, { name: "home:scan" }));
          if (window.Notification && window.PushManager && Notification.permission === "default") {
            var notify = PHONE.button(PHONE.t("home.notify"), function () {
              PHONE.subscribePush(true).then(function (ok) { notify.hidden = true; banner(PHONE.t(ok ? "home.notify_on" : "home.notify_off")); });
            }, { name: "home:notify", cls: "secondary" });
            root.appendChild(notify);
          }
          tiles.forEach(function (t) { root.appendChild(tile(t)); });
          root.appendChild(PHONE.button(PHONE.t("home.sign_out"), PHONE.signOut, { name: "home:signout", cls: "secondary" }));
        });
      });
    }
  });

  function tile(t) {
    var def = screens[t.screen];
    var title = t.title || (def && def.title ? PHONE.t(def.title) : t.service);
    var lines = [PHONE.el("div", { cls: "title", text: title })];
    if (!t.available) lines.push(PHONE.el("div", { cls: "sub", text: PHONE.t("home.unavailable") }));
    else if (!def) lines.push(PHONE.el("div", { cls: "sub", text: PHONE.t("home.on_tv") }));
    else if (!t.items.length) lines.push(PHONE.el("div", { cls: "sub", text: PHONE.t("home.empty") }));
    t.items.slice(0, 3).forEach(function (item) {
      var state = item.state && PHONE.messages["state." + item.state] ? PHONE.t("state." + item.state) : item.detail || "";
      lines.push(PHONE.el("div", { cls: "sub", text: item.title + (state ? " · " + state : "") }));
    });
    if (!def || !t.available) return PHONE.el("div", { cls: "card off", "data-name": "tile:" + t.service }, lines);
    var el = PHONE.button("", function () { PHONE.open(t.screen, {}); }, { cls: "card", name: "tile:" + t.service });
    lines.forEach(function (l) { el.appendChild(l); });
    return el;
  }

  // --- pushes: the household's stream, as the TV has it ---

  /* A domain's screens hear of the push messages of a kind. */
  PHONE.onPush = function (kind, fn) {
    (pushKinds[kind] = pushKinds[kind] || []).push(fn);
    if (stream) stream.addEventListener(kind, function (e) { pushed(kind, JSON.parse(e.data), fn); });
  };

  /* Open what a push message is about: its `opens`, a screen and the id it shows ("egov.application/<id>")
     or a screen alone, as the TV does; the screen's file is loaded first. False when the phone has no such screen. */
  PHONE.openPushed = function (opens) {
    var m = /^([a-z][a-z0-9]*)([._][a-z0-9_.]*)?(?:\/([A-Za-z0-9_-]+))?$/.exec(opens || "");
    if (!m) return Promise.resolve(false);
    var screen = m[1] + (m[2] || "");
    return PHONE.load(m[1]).then(function () {
      if (!screens[screen]) return false;
      return PHONE.open(screen, m[3] ? { id: m[3] } : {}).then(function () { return true; });
    });
  };

  /* A note at the top; with `opens` (a push message's), a button that opens what it is about. */
  function banner(text, alert, opens) {
    var b = document.getElementById("banner");
    b.textContent = text;
    if (opens) {
      b.appendChild(PHONE.button(PHONE.t("push.open"), function () {
        b.hidden = true;
        PHONE.openPushed(opens);
      }, { name: "banner:open", cls: "secondary" }));
    }
    b.className = alert ? "alert" : "";
    b.hidden = false;
    setTimeout(function () { b.hidden = true; }, alert ? 30000 : 8000);
  }

  function pushed(kind, message, fn) {
    changed = true;
    fn(message);
  }

  function openStream() {
    if (stream || !window.EventSource || !PHONE.token()) return;
    stream = new EventSource("/v1/terminal/events?access_token=" + encodeURIComponent(PHONE.token()));
    // An alert covers the page even when the home could not load: its screen file is loaded here.
    stream.addEventListener("alert", function (e) {
      var a = JSON.parse(e.data);
      PHONE.load("alerts").then(function () {
        if (PHONE.onAlert) PHONE.onAlert(a);
        else banner(PHONE.t("push.alert", { title: a.headline || a.event_type || "" }), true);
      });
    });
    Object.keys(pushKinds).forEach(function (kind) {
      pushKinds[kind].forEach(function (fn) {
        stream.addEventListener(kind, function (e) { pushed(kind, JSON.parse(e.data), fn); });
      });
    });
  }
  PHONE.banner = banner;

  // --- Web Push: told while the app is closed (the service worker shows it) ---

  function pushKey() {
    if (!("serviceWorker" in navigator) || !window.PushManager || !window.Notification) return Promise.resolve(null);
    return PHONE.api("GET", "/v1/terminal/web-push").then(function (r) { return r.status === 200 ? r.body.public_key : null; });
  }

  function bytesOf(b64url) {
    var raw = atob(b64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64url.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  /* Subscribe this phone (asked once; afterwards renewed silently each time the app opens). */
  PHONE.subscribePush = function (ask) {
    return pushKey().then(function (key) {
      if (!key) return false;
      var allowed = ask ? Notification.requestPermission() : Promise.resolve(Notification.permission);
      return allowed.then(function (permission) {
        if (permission !== "granted") return false;
        return navigator.serviceWorker.ready.then(function (reg) {
          return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytesOf(key) });
        }).then(function (sub) {
          return PHONE.api("PUT", "/v1/terminal/web-push/subscription", sub.toJSON()).then(function (r) { return r.status === 204; });
        });
      });
    }).catch(function () { return false; });
  };

  // --- start ---

  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch(function () {});
  if (PHONE.token() || store.getItem("sbc.phone.refresh_token")) {
    (PHONE.token() ? Promise.resolve(true) : refresh()).then(function (ok) { return ok ? afterSignIn() : signIn(); });
  } else signIn();
})();
