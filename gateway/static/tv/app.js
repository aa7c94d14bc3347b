/* The TV app: sign-in with the device grant, the home screen from one call (/v1/home), a stack of
   screens with focus that comes back on back, simple mode, and the push stream (emergency alerts
   take over the screen). Domains add their screens in screens/<service>.js with TV.screen(name, {...}). */
var TV = window.TV || {};
window.TV = TV;
(function () {
  var CLIENT_ID = "sbc-set-top-box";
  var DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  var store = window.localStorage;
  var screens = {};
  var stack = [];
  var loaded = {};
  var stream = null;
  var pollTimer = null;
  var expiryTimer = null;
  TV.simple = false;
  TV.colour = {}; // colour key -> function (eldercare's SOS on red, where the household has it)
  var pushKinds = {}; // a push message's kind -> the functions told of it (TV.onPush)
  var listening = {};

  // --- small helpers ---

  TV.el = function (tag, attrs, children) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    for (var k in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
      if (k === "text") el.textContent = attrs[k];
      else if (k === "cls") el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  };

  /* A focusable element; OK runs `onOk`. `opens` names the screen it opens (the key-walk tests
     follow those and come back). */
  TV.button = function (label, onOk, opts) {
    opts = opts || {};
    var el = TV.el(opts.tag || "div", { cls: "focusable " + (opts.cls || "btn"), role: "button" }, [label]);
    if (opts.nav) el.setAttribute("data-nav", opts.nav);
    if (opts.opens) el.setAttribute("data-opens", opts.opens);
    el.onOk = onOk;
    return el;
  };

  TV.pageSize = function () {
    return TV.simple ? 3 : 6;
  };

  TV.when = function (iso) {
    if (!iso) return "";
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var year = d.getFullYear() === new Date().getFullYear() ? "" : d.getFullYear() + "年";
    return year + (d.getMonth() + 1) + "月" + d.getDate() + "日 " + two(d.getHours()) + ":" + two(d.getMinutes());
  };

  TV.uuid = function () {
    var s = "";
    for (var i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s.slice(0, 8) + "-" + s.slice(8, 12) + "-4" + s.slice(13, 16) + "-a" + s.slice(17, 20) + "-" + s.slice(20);
  };

  // --- the API ---

  TV.token = function () {
    var t = store.getItem("sbc.tv.token");
    var until = Number(store.getItem("sbc.tv.token_until") || 0);
    return t && until > Date.now() ? t : null;
  };

  function request(method, path, body, headers, form) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, path);
      var token = TV.token();
      if (token) xhr.setRequestHeader("Authorization", "Bearer " + token);
      for (var h in headers || {}) xhr.setRequestHeader(h, headers[h]);
      var data = null;
      if (form) {
        xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
        data = Object.keys(form).map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(form[k]); }).join("&");
      } else if (body !== undefined) {
        xhr.setRequestHeader("Content-Type", "application/json");
        data = JSON.stringify(body);
      }
      xhr.onload = function () {
        var parsed = null;
        try { parsed = JSON.parse(xhr.responseText); } catch (e) { parsed = null; }
        resolve({ status: xhr.status, body: parsed });
      };
      xhr.onerror = function () { resolve({ status: 0, body: null }); };
      xhr.send(data);
    });
  }

  /* A call as the signed-in TV. A 401 means the token is gone (expired, revoked): the TV trades
     its refresh token for a new one and calls again, once; without one it signs in again. */
  TV.api = function (method, path, body, headers) {
    return request(method, path, body, headers).then(function (r) {
      if (r.status !== 401) return r;
      return refresh().then(function (ok) {
        if (ok) return request(method, path, body, headers);
        forget();
        startSignIn();
        return r;
      });
    }).then(function (r) {
      if (method !== "GET" && r.status >= 200 && r.status < 300) changed = true;
      return r;
    });
  };

  /* The gateway caches the home per household: after a change of ours (or a push saying something
     changed) the next home is asked for fresh. */
  var changed = false;
  function homeHeaders() {
    var h = changed ? { "Cache-Control": "no-cache" } : {};
    changed = false;
    return h;
  }

  // --- screens ---

  TV.screen = function (name, def) {
    screens[name] = def;
  };

  TV.load = function (service) {
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
    root.innerHTML = "";
    root.removeAttribute("data-ready");
    root.setAttribute("data-screen", entry.name);
    document.getElementById("bar-title").textContent = def && def.title ? TV.t(def.title) : TV.t("app.title");
    document.getElementById("bar-hint").textContent = TV.t(TV.simple ? "hint.simple" : "hint.keys");
    if (!def) {
      root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
      root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
      TV.nav.focus(TV.nav.focusables(root)[0]);
      root.setAttribute("data-ready", "1");
      return Promise.resolve();
    }
    root.appendChild(TV.el("p", { cls: "muted loading", text: TV.t("common.loading") }));
    var drawn = entry;
    return Promise.resolve()
      .then(function () {
        var page = TV.el("div", { cls: "page" });
        return Promise.resolve(def.render(page, entry.params || {}, entry)).then(function () { return page; });
      })
      .then(function (page) {
        if (stack[stack.length - 1] !== drawn) return; // the viewer moved on meanwhile
        root.innerHTML = "";
        root.appendChild(page);
        // A screen with nothing to choose (an empty list) still has something to focus: the way back.
        if (!TV.nav.focusables(root).length && stack.length > 1) {
          page.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
        }
        TV.nav.name(root, entry.name);
        var back = entry.focusName && TV.nav.byName(entry.focusName);
        TV.nav.focus(back || TV.nav.focusables(root)[0] || null);
        root.setAttribute("data-ready", "1");
      });
  }

  TV.open = function (name, params) {
    var top = stack[stack.length - 1];
    if (top && TV.nav.current()) top.focusName = TV.nav.current().getAttribute("data-nav");
    stack.push({ name: name, params: params || {} });
    return draw();
  };

  /* Back: the screen before, with the focus where it was. */
  TV.back = function () {
    if (stack.length <= 1) return Promise.resolve();
    stack.pop();
    return draw();
  };

  /* Draw the current screen again (after a change), keeping the focus. */
  TV.redraw = function () {
    var top = stack[stack.length - 1];
    if (top && TV.nav.current()) top.focusName = TV.nav.current().getAttribute("data-nav");
    return draw();
  };

  /* Back to the nearest screen of that name (after a step that finished a flow). */
  TV.backTo = function (name) {
    while (stack.length > 1 && stack[stack.length - 1].name !== name) stack.pop();
    return draw();
  };

  TV.home = function () {
    stack = [];
    return TV.open("home");
  };

  // --- the keys ---

  document.addEventListener("keydown", function (e) {
    var key = TV.actionOf(e.keyCode || e.which);
    if (!key) return;
    e.preventDefault();
    var over = !document.getElementById("takeover").hidden;
    var a = key.action;
    if (a === "up" || a === "down" || a === "left" || a === "right") TV.nav.move(a);
    else if (a === "ok") {
      var el = TV.nav.current();
      if (el && el.onOk) el.onOk();
    } else if (over) return; // an alert in force: only its own button answers
    else if (a === "back") TV.back();
    else if (a === "exit") { if (stack.length) TV.home(); }
    else if (a === "green") { if (TV.token()) TV.setSimple(!TV.simple, true); }
    else if (TV.colour[a]) TV.colour[a]();
    else if (a === "digit") {
      var def = stack.length && screens[stack[stack.length - 1].name];
      if (def && def.digit) def.digit(key.value);
      else if (key.value === 0 && TV.token()) TV.home();
    }
  });

  // --- simple mode ---

  function applySimple(on) {
    TV.simple = !!on;
    document.body.classList.toggle("simple", TV.simple);
    document.getElementById("bar-hint").textContent = TV.t(TV.simple ? "hint.simple" : "hint.keys");
  }

  TV.setSimple = function (on, save) {
    applySimple(on);
    var done = save ? TV.api("PUT", "/v1/notifications/preferences", { simple_mode: TV.simple }) : Promise.resolve();
    // Marked once saved and redrawn (the page tests wait for it, not for the class toggled first).
    document.body.removeAttribute("data-simple-saved");
    return done.then(function () { if (stack.length) return TV.redraw(); }).then(function () {
      document.body.setAttribute("data-simple-saved", TV.simple ? "on" : "off");
    });
  };

  // --- sign-in with the device grant ---

  function forget() {
    // The box's secret stays: signing in again, the box keeps its device id.
    store.removeItem("sbc.tv.token");
    store.removeItem("sbc.tv.token_until");
    store.removeItem("sbc.tv.refresh_token");
    if (stream) { stream.close(); stream = null; }
    if (expiryTimer) { clearInterval(expiryTimer); expiryTimer = null; }
  }

  TV.signOut = function () {
    forget();
    startSignIn();
  };

  function serial() {
    var m = /[?&]serial=([A-Za-z0-9._:-]{1,64})/.exec(location.search);
    var s = (m && m[1]) || store.getItem("sbc.tv.serial");
    if (!s) s = "STB-" + TV.uuid().slice(0, 8);
    store.setItem("sbc.tv.serial", s);
    return s;
  }

  function keep(body) {
    store.setItem("sbc.tv.token", body.access_token);
    store.setItem("sbc.tv.token_until", String(Date.now() + body.expires_in * 1000));
    if (body.refresh_token) store.setItem("sbc.tv.refresh_token", body.refresh_token);
    // Given once, at the box's first sign-in as this device: kept for every later sign-in.
    if (body.device_secret) store.setItem("sbc.tv.device_secret", body.device_secret);
  }

  function signedIn(body) {
    keep(body);
    afterSignIn();
  }

  /* The refresh token for a new token (each works once). Resolves true when the TV has a new
     token; false when it must sign in again (no refresh token, or it was refused). */
  var refreshing = null;
  function refresh() {
    var token = store.getItem("sbc.tv.refresh_token");
    if (!token) return Promise.resolve(false);
    if (refreshing) return refreshing; // one refresh at a time: a refresh token works once
    refreshing = request("POST", "/v1/identity/token", undefined, {}, { grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: token })
      .then(function (r) {
        refreshing = null;
        if (r.status === 200) {
          keep(r.body);
          if (stream) { stream.close(); stream = null; openStream(); } // the stream's URL has the token
          return true;
        }
        // The gateway or identity away: keep what the TV has and try again later.
        if (r.status === 0 || r.status >= 500 || r.status === 429) return !!TV.token();
        return false;
      });
    return refreshing;
  }

  function afterSignIn() {
    if (expiryTimer) clearInterval(expiryTimer);
    // A minute before the token expires the TV refreshes it; without a new one it signs in again.
    // Checked every few seconds: a token lives longer than a timer may wait.
    expiryTimer = setInterval(function () {
      var until = Number(store.getItem("sbc.tv.token_until") || 0);
      if (until - Date.now() > 60000) return;
      refresh().then(function (ok) { if (!ok && !TV.token()) { forget(); startSignIn(); } });
    }, 5000);
    openStream();
    TV.home();
  }

  function startSignIn() {
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
    stack = [];
    TV.open("signin");
  }

  TV.screen("signin", {
    title: "signin.title",
    render: function (root, params) {
      var form = { client_id: CLIENT_ID, device_serial: serial() };
      var secret = store.getItem("sbc.tv.device_secret");
      if (secret) form.device_secret = secret; // the box proves it is the device it was
      return request("POST", "/v1/identity/device_authorization", undefined, {}, form)
        .then(function (r) {
          if (r.status !== 200) {
            root.appendChild(TV.el("h1", { text: TV.t("signin.failed") }));
            root.appendChild(TV.button(TV.t("home.retry"), startSignIn, { nav: "signin:retry" }));
            return;
          }
          var g = r.body;
          var qr = TV.el("img", { cls: "qr", alt: g.verification_uri_complete, src: "/v1/home/qr.svg?uri=" + encodeURIComponent(g.verification_uri_complete) });
          var text = TV.el("div", { cls: "signin-text" }, [
            params.notice ? TV.el("p", { cls: "notice", text: params.notice }) : null,
            TV.el("p", { text: TV.t("signin.code", { uri: g.verification_uri }) }),
            TV.el("div", { cls: "code", id: "user-code", text: g.user_code }),
            TV.el("p", { cls: "muted", text: TV.t("signin.waiting") }),
            TV.button(TV.t("signin.new_code"), startSignIn, { nav: "signin:new" })
          ]);
          root.appendChild(TV.el("div", { cls: "row" }, [qr, text]));
          poll(g, Date.now() + g.expires_in * 1000, g.interval);
        });
    }
  });

  function poll(grant, until, interval) {
    pollTimer = setTimeout(function () {
      if (Date.now() > until) return again("signin.expired");
      request("POST", "/v1/identity/token", undefined, {}, { grant_type: DEVICE_GRANT, client_id: CLIENT_ID, device_code: grant.device_code })
        .then(function (r) {
          if (r.status === 200) return signedIn(r.body);
          var error = r.body && r.body.error;
          if (error === "slow_down") return poll(grant, until, interval + 5);
          if (error === "authorization_pending" || r.status === 0 || r.status >= 500 || r.status === 429) return poll(grant, until, interval);
          again(error === "access_denied" ? "signin.denied" : "signin.expired");
        });
    }, interval * 1000);
  }

  function again(notice) {
    stack = [];
    TV.open("signin", { notice: TV.t(notice) });
  }

  // --- the home screen, from one call ---

  TV.homeTiles = [];

  TV.screen("home", {
    title: "app.title",
    render: function (root) {
      return TV.api("GET", "/v1/home", undefined, homeHeaders()).then(function (r) {
        if (r.status !== 200) {
          root.appendChild(TV.el("h1", { text: TV.t("home.failed") }));
          root.appendChild(TV.button(TV.t("home.retry"), TV.redraw, { nav: "home:retry" }));
          return;
        }
        var home = r.body;
        applySimple(home.simple_mode);
        // Simple mode: fewer tiles, the server's choice and order; the rest behind one "more" tile.
        var shown = home.tiles, rest = [];
        if (TV.simple && home.simple_tiles && home.simple_tiles.length) {
          shown = home.simple_tiles.map(function (s) { return home.tiles.filter(function (t) { return t.service === s; })[0]; });
          rest = home.tiles.filter(function (t) { return home.simple_tiles.indexOf(t.service) < 0; });
        }
        TV.homeTiles = shown;
        TV.moreTiles = rest;
        return Promise.all(home.tiles.map(function (t) { return TV.load(t.service); })).then(function () {
          var tiles = TV.el("div", { cls: "tiles" });
          shown.forEach(function (t, i) { tiles.appendChild(tile(t, i + 1)); });
          if (rest.length) tiles.appendChild(moreTile(shown.length + 1));
          var simple = TV.button(TV.t(TV.simple ? "home.simple_on" : "home.simple_off"), function () { TV.setSimple(!TV.simple, true); }, { nav: "home:simple" });
          var devices = TV.button(TV.t("devices.title"), function () { TV.open("devices"); }, { nav: "home:devices", opens: "devices" });
          var out = TV.button(TV.t("home.sign_out"), TV.signOut, { nav: "home:signout" });
          root.appendChild(tiles);
          root.appendChild(TV.el("div", { cls: "row home-actions", style: "margin-top:32px" }, [simple, devices, out]));
        });
      });
    },
    digit: function (n) {
      var t = TV.homeTiles[n - 1];
      if (t && screens[t.screen]) TV.open(t.screen, {});
      else if (n === TV.homeTiles.length + 1 && TV.moreTiles.length) TV.open("more", {});
    }
  });

  TV.moreTiles = [];

  function moreTile(number) {
    var el = TV.button("", function () { TV.open("more", {}); }, { cls: "tile", nav: "tile:more", opens: "more" });
    el.appendChild(TV.el("span", { cls: "num", text: String(number) }));
    el.appendChild(TV.el("h2", { text: TV.t("home.more") }));
    el.appendChild(TV.el("p", { cls: "item", text: TV.moreTiles.map(function (t) { return tileTitle(t); }).join("、") }));
    return el;
  }

  // Simple mode's other services: the tiles the home leaves out, as big as on the home.
  TV.screen("more", {
    title: "home.more",
    render: function (root) {
      var tiles = TV.el("div", { cls: "tiles" });
      TV.moreTiles.forEach(function (t, i) { tiles.appendChild(tile(t, i + 1)); });
      root.appendChild(tiles);
    },
    digit: function (n) {
      var t = TV.moreTiles[n - 1];
      if (t && screens[t.screen]) TV.open(t.screen, {});
    }
  });

  function tileTitle(t) {
    var def = screens[t.screen];
    return t.title || (def && def.title ? TV.t(def.title) : t.service);
  }

  function tile(t, number) {
    var def = screens[t.screen];
    var title = tileTitle(t);
    var el = TV.button("", function () { if (def) TV.open(t.screen, {}); }, { cls: "tile" + (t.available ? "" : " off"), nav: "tile:" + t.service, opens: def ? t.screen : "" });
    el.appendChild(TV.el("span", { cls: "num", text: String(number) }));
    el.appendChild(TV.el("h2", { text: title }));
    if (!t.available) el.appendChild(TV.el("p", { cls: "item", text: TV.t("home.unavailable") }));
    else if (!t.items.length) el.appendChild(TV.el("p", { cls: "item muted", text: TV.t("home.empty") }));
    t.items.slice(0, TV.simple ? 2 : 4).forEach(function (item) {
      // The state as the TV names it, else the tile's own words for it (e.g. egov's state label).
      var state = !item.state ? "" : TV.messages["state." + item.state] ? TV.t("state." + item.state) : item.detail;
      var line = item.title + (state ? " · " + state : "");
      el.appendChild(TV.el("p", { cls: "item", text: line }));
    });
    return el;
  }

  // --- the household's boxes (我的设备): remove a stolen or sold one ---

  /* This box's device id, from its token (the gateway checks the token; this only marks 本机). */
  function thisDevice() {
    try {
      var part = store.getItem("sbc.tv.token").split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      while (part.length % 4) part += "=";
      return JSON.parse(decodeURIComponent(escape(atob(part)))).did || "";
    } catch (e) {
      return "";
    }
  }

  TV.screen("devices", {
    title: "devices.title",
    render: function (root) {
      return TV.api("GET", "/v1/identity/devices").then(function (r) {
        if (r.status !== 200) {
          root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
          return;
        }
        var mine = thisDevice();
        root.appendChild(TV.el("p", { cls: "muted", text: TV.t("devices.hint") }));
        var list = TV.el("div", { cls: "list" });
        r.body.devices.forEach(function (d) {
          var entry = TV.button("", function () { TV.open("device", { device: d, mine: d.id === mine }); }, { cls: "entry", nav: "box:" + d.id, opens: "device" });
          entry.appendChild(TV.el("div", {}, [d.serial, d.id === mine ? TV.el("span", { cls: "state", text: TV.t("devices.this") }) : null]));
          entry.appendChild(TV.el("div", { cls: "sub", text: TV.t("devices.since", { at: TV.when(d.registered_at) }) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("device", {
    title: "devices.remove_title",
    render: function (root, params) {
      var d = params.device;
      root.appendChild(TV.el("h1", { text: d.serial + (params.mine ? " " + TV.t("devices.this") : "") }));
      root.appendChild(TV.el("p", { text: TV.t(params.mine ? "devices.remove_this" : "devices.remove_other") }));
      var note = TV.el("p", { cls: "muted", role: "status" });
      var remove = TV.button(TV.t("devices.remove"), function () {
        TV.api("POST", "/v1/identity/devices/" + encodeURIComponent(d.id) + "/revoke").then(function (r) {
          if (r.status === 204 || r.status === 409) {
            if (params.mine) return TV.signOut();
            return TV.backTo("devices");
          }
          note.textContent = TV.t("common.failed");
        });
      }, { nav: "device:remove", cls: "btn big" });
      root.appendChild(TV.el("div", { cls: "row" }, [remove, TV.button(TV.t("common.back"), TV.back, { nav: "device:keep", cls: "btn big" })]));
      root.appendChild(note);
    }
  });

  // --- the push stream ---

  /* A domain's screens hear of the push messages of a kind (the stream names each event by its kind). */
  TV.onPush = function (kind, fn) {
    (pushKinds[kind] = pushKinds[kind] || []).push(fn);
    if (stream) listen(kind);
  };

  TV.onAlert = null; // screens/alerts.js: an emergency alert on the stream

  function listen(kind) {
    if (listening[kind]) return;
    listening[kind] = true;
    stream.addEventListener(kind, function (e) { pushed(kind, JSON.parse(e.data)); });
  }

  function openStream() {
    if (stream || !window.EventSource) return;
    stream = new EventSource("/v1/terminal/events?access_token=" + encodeURIComponent(TV.token()));
    listening = {};
    // An alert must take over even when the home could not load: its screen file is loaded here.
    stream.addEventListener("alert", function (e) {
      var data = JSON.parse(e.data);
      TV.load("alerts").then(function () { if (TV.onAlert) TV.onAlert(data); });
    });
    for (var kind in pushKinds) if (Object.prototype.hasOwnProperty.call(pushKinds, kind)) listen(kind);
  }

  /* Open what a push message is about: its `opens`, a screen and the id it shows ("egov.application/<id>")
     or a screen alone; the screen's file is loaded first. False when it names nothing this TV has. */
  TV.openPushed = function (opens) {
    var m = /^([a-z][a-z0-9]*)([._][a-z0-9_.]*)?(?:\/([A-Za-z0-9_-]+))?$/.exec(opens || "");
    if (!m) return Promise.resolve(false);
    var screen = m[1] + (m[2] || "");
    return TV.load(m[1]).then(function () {
      if (!screens[screen]) return false;
      return TV.open(screen, m[3] ? { id: m[3] } : {}).then(function () { return true; });
    });
  };

  function pushed(kind, message) {
    changed = true;
    // The yellow key opens what the newest message is about (older messages name nothing: they just show).
    if (message.opens) TV.colour.yellow = function () { TV.openPushed(message.opens); };
    (pushKinds[kind] || []).forEach(function (fn) { fn(message); });
    if (TV.simple) return; // no pop-ups in simple mode
    var toast = document.getElementById("toast");
    toast.textContent = TV.t(message.opens ? "push.new_opens" : "push.new", { title: message.title });
    toast.hidden = false;
    setTimeout(function () { toast.hidden = true; }, 6000);
  }

  // --- start ---

  function fit() {
    var k = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    document.getElementById("stage").style.transform = k === 1 ? "" : "scale(" + k + ")";
  }
  window.addEventListener("resize", fit);
  fit();

  if (TV.token()) afterSignIn();
  else startSignIn();
})();
