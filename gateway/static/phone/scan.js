/* 扫码登录电视: the phone reads the QR code a TV shows (verification_uri_complete, with the code the
   TV waits with) and the signed-in member confirms it with their token: no password again.
   The camera is read with the browser's BarcodeDetector where it has one, else with jsQR (vendored,
   vendor/jsQR.js, loaded only here); a photo of the QR code can be picked instead, and the code can
   always be typed. Other QR codes are read the same way: a domain names a reader
   (PHONE.reader(name, {intro, wrong, read})), opens "scan.read" with {reader: name} to film for
   that one alone, and the home's scan takes the readers' codes after the TV's. */
(function () {
  var PHONE = window.PHONE;
  var CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-?[BCDFGHJKLMNPQRSTVWXZ]{4}$/i;
  var jsqr = null;
  var readers = {};

  /* read(text) gives the screen to open for a QR code's text ({screen, params}), or null. */
  PHONE.reader = function (name, def) { readers[name] = def; };

  function readAny(text) {
    var code = PHONE.codeOf(text);
    if (code) return { screen: "scan.confirm", params: { code: code } };
    for (var name in readers) {
      var next = readers[name].read(text);
      if (next) return next;
    }
    return null;
  }

  /* The TV's code in what the QR code says, or null when it is not a TV's sign-in QR code. */
  PHONE.codeOf = function (text) {
    var url;
    try { url = new URL(text, location.href); } catch (e) { return null; }
    if (url.pathname.replace(/\/+$/, "") !== "/identity/device") return null;
    var code = (url.searchParams.get("user_code") || "").trim();
    return CODE.test(code) ? code.toUpperCase() : null;
  };

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqr) {
      jsqr = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = "vendor/jsQR.js";
        s.onload = function () { resolve(window.jsQR || null); };
        s.onerror = function () { jsqr = null; resolve(null); };
        document.body.appendChild(s);
      });
    }
    return jsqr;
  }

  var detector = null;
  function nativeDetector() {
    if (detector !== null) return Promise.resolve(detector);
    if (!("BarcodeDetector" in window)) return Promise.resolve((detector = false));
    return Promise.resolve(window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : ["qr_code"])
      .then(function (formats) {
        detector = formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : false;
        return detector;
      }, function () { return (detector = false); });
  }

  /* The texts of the QR codes in an image, video frame or canvas. */
  function decode(source, canvas) {
    return nativeDetector().then(function (native) {
      if (native) return native.detect(source).then(function (found) { return found.map(function (b) { return b.rawValue; }); });
      return loadJsQR().then(function (jsQR) {
        if (!jsQR) return [];
        var w = source.videoWidth || source.naturalWidth || source.width, h = source.videoHeight || source.naturalHeight || source.height;
        if (!w || !h) return [];
        var k = Math.min(1, 800 / Math.max(w, h)); // enough pixels for a TV's QR code, few enough to be quick
        canvas.width = Math.round(w * k);
        canvas.height = Math.round(h * k);
        var ctx = canvas.getContext("2d");
        ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
        var found = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
        return found ? [found.data] : [];
      });
    });
  }

  function scanner(root, params) {
    var reader = readers[params.reader];
    var note = PHONE.el("p", { id: "scan-note", role: "status", "aria-live": "polite" });
    var video = PHONE.el("video", { id: "scan-video", playsinline: "", muted: "", "aria-label": PHONE.t("scan.camera") });
    var canvas = PHONE.el("canvas", { hidden: "" });
    var done = false;

    function found(texts) {
      if (done || !texts.length) return false;
      var next = null;
      for (var i = 0; i < texts.length && !next; i++) next = reader ? reader.read(texts[i]) : readAny(texts[i]);
      if (!next) {
        note.className = "error";
        note.textContent = PHONE.t(reader ? reader.wrong : "scan.not_tv");
        return false;
      }
      done = true;
      stop();
      PHONE.open(next.screen, next.params);
      return true;
    }

    var stream = null;
    function stop() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }
    function tick() {
      if (done) return;
      if (!document.body.contains(video)) return stop(); // the member left the screen
      decode(video, canvas).then(found, function () { return false; }).then(function (ok) {
        if (!ok) setTimeout(tick, 250);
      });
    }

    root.appendChild(PHONE.el("p", { text: PHONE.t(reader ? reader.intro : "scan.intro") }));
    root.appendChild(video);
    root.appendChild(note);
    var camera = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
    if (camera) {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.muted = true;
        return video.play();
      }).then(function () {
        note.textContent = PHONE.t("scan.aim");
        tick();
      }, function () {
        video.hidden = true;
        note.textContent = PHONE.t("scan.no_camera");
      });
    } else {
      video.hidden = true;
      note.textContent = PHONE.t("scan.no_camera");
    }

    // A photo of the TV's QR code, decoded the same way.
    var photo = PHONE.el("input", { id: "scan-photo", type: "file", accept: "image/*", capture: "environment" });
    photo.addEventListener("change", function () {
      var file = photo.files && photo.files[0];
      if (!file) return;
      var img = new Image();
      img.onload = function () {
        decode(img, canvas).then(function (texts) {
          if (!texts.length) {
            note.className = "error";
            note.textContent = PHONE.t("scan.no_code");
          } else found(texts);
        });
      };
      img.src = URL.createObjectURL(file);
    });
    root.appendChild(PHONE.el("label", { "for": "scan-photo", text: PHONE.t("scan.photo") }));
    root.appendChild(photo);
    if (reader) return; // the reader's own screen takes a typed code

    // Or the code as the TV shows it.
    var form = PHONE.el("form", { id: "scan-form", novalidate: "" });
    var typed = PHONE.el("input", { id: "scan-code", name: "user_code", autocomplete: "off", autocapitalize: "characters", maxlength: "12" });
    form.appendChild(PHONE.el("label", { "for": "scan-code", text: PHONE.t("scan.type") }));
    form.appendChild(typed);
    var typedError = PHONE.el("p", { id: "scan-code-error", cls: "error", role: "alert" });
    form.appendChild(typedError);
    var go = PHONE.button(PHONE.t("scan.next"), function () {}, { name: "scan:typed" });
    go.type = "submit";
    form.appendChild(go);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var code = typed.value.replace(/\s+/g, "");
      if (!CODE.test(code)) {
        typedError.textContent = PHONE.t("scan.bad_code");
        return;
      }
      done = true;
      stop();
      PHONE.open("scan.confirm", { code: code.toUpperCase() });
    });
    root.appendChild(form);
  }

  PHONE.screen("scan", { title: "scan.title", render: scanner });
  PHONE.screen("scan.read", { title: "scan.read_title", render: scanner });

  PHONE.screen("scan.confirm", {
    title: "scan.confirm_title",
    render: function (root, params) {
      var code = params.code.replace("-", "");
      code = code.slice(0, 4) + "-" + code.slice(4);
      root.appendChild(PHONE.el("p", { text: PHONE.t("scan.confirm_intro") }));
      root.appendChild(PHONE.el("div", { cls: "card", id: "scan-confirm-code" }, [PHONE.el("div", { cls: "title code", text: code })]));
      var note = PHONE.el("p", { id: "scan-result", role: "status", "aria-live": "polite" });
      function answer(approve) {
        return function (button) {
          button.disabled = true;
          PHONE.api("POST", "/v1/identity/device_authorization/approve", { user_code: code, approve: approve }).then(function (r) {
            button.disabled = false;
            if (r.status === 200) {
              yes.hidden = no.hidden = true;
              note.className = "done";
              note.textContent = PHONE.t(approve ? "scan.approved" : "scan.declined");
              return;
            }
            note.className = "error";
            var field = r.body && r.body.errors && r.body.errors.user_code;
            if (r.status === 404) note.textContent = PHONE.t("scan.unknown");
            else if (r.status === 400 && field === "expired") note.textContent = PHONE.t("scan.expired");
            else if (r.status === 400 && field === "already used") note.textContent = PHONE.t("scan.used");
            else if (r.status === 409) note.textContent = PHONE.t("scan.full");
            else if (r.status === 429) note.textContent = PHONE.t("scan.locked", { seconds: (r.headers && r.headers.get("Retry-After")) || "60" });
            else note.textContent = PHONE.failure(r);
          });
        };
      }
      var yes = PHONE.button(PHONE.t("scan.approve"), answer(true), { name: "scan:approve" });
      var no = PHONE.button(PHONE.t("scan.decline"), answer(false), { name: "scan:decline", cls: "secondary" });
      root.appendChild(yes);
      root.appendChild(no);
      root.appendChild(note);
    }
  });
})();
