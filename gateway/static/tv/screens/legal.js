/* Legal outreach's TV screens: what the judicial office published for the district (普法 articles,
   videos, party-building and civilization-practice notices), and one piece to read or to listen to:
   the box's text-to-speech where it has one, the recorded reading otherwise. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "screen.legal": "普法与文明实践",
    "lg.none": "暂无内容",
    "lg.listen": "朗读",
    "lg.stop": "停止朗读",
    "lg.no_voice": "本机不能朗读"
  });

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  TV.screen("legal", {
    title: "screen.legal",
    render: function (root, params) {
      var path = "/v1/legal/contents?page_size=" + TV.pageSize() + (params.page_token ? "&page_token=" + encodeURIComponent(params.page_token) : "");
      return TV.api("GET", path).then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.contents.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("lg.none") }));
        r.body.contents.forEach(function (c) {
          var entry = TV.button("", function () { TV.open("legal.content", { id: c.id }); }, { cls: "entry", nav: "lg:" + c.id, opens: "legal.content" });
          entry.appendChild(TV.el("div", { text: c.title }));
          entry.appendChild(TV.el("div", { cls: "sub", text: [c.kind_label, c.topic_label].filter(Boolean).join(" · ") }));
          list.appendChild(entry);
        });
        root.appendChild(list);
        if (r.body.next_page_token) {
          root.appendChild(TV.button(TV.t("common.more"), function () { TV.open("legal", { page_token: r.body.next_page_token }); }, { nav: "lg:more", opens: "legal" }));
        }
      });
    }
  });

  var audio = null;
  function quiet() {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    if (audio) { audio.pause(); audio = null; }
  }

  TV.screen("legal.content", {
    title: "screen.legal",
    render: function (root, params) {
      quiet();
      return TV.api("GET", "/v1/legal/contents/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var c = r.body;
        root.appendChild(TV.el("h2", { text: c.title }));
        root.appendChild(TV.el("p", { cls: "sub", text: [c.kind_label, c.topic_label].filter(Boolean).join(" · ") }));
        var voice = window.speechSynthesis && window.SpeechSynthesisUtterance;
        var listen = TV.button(TV.t("lg.listen"), function () {
          quiet();
          if (voice) {
            var u = new window.SpeechSynthesisUtterance(c.speech_text || c.body);
            u.lang = "zh-CN";
            window.speechSynthesis.speak(u);
          } else if (c.audio_url) {
            audio = new Audio(c.audio_url);
            audio.play();
          }
        }, { nav: "lg:listen", cls: "btn big" });
        var stop = TV.button(TV.t("lg.stop"), quiet, { nav: "lg:stop" });
        var row = [listen, stop];
        if (!voice && !c.audio_url) row = [TV.el("span", { cls: "muted", text: TV.t("lg.no_voice") })];
        root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, row));
        // Focusable paragraphs, so the remote scrolls through a long text.
        (c.body || "").split(/\n+/).forEach(function (text, i) {
          if (text) root.appendChild(TV.button(text, null, { cls: "entry", nav: "lg:p" + i }));
        });
        root.appendChild(TV.button(TV.t("common.back"), function () { quiet(); TV.back(); }, { nav: "back" }));
      });
    }
  });
})();
