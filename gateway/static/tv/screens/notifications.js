/* Notifications' TV screen: the messages pushed to the household, newest first, a page at a time. */
(function () {
  var TV = window.TV;
  TV.addMessages({ "msg.none": "暂无消息" });

  TV.screen("messages", {
    title: "screen.messages",
    render: function (root, params) {
      var path = "/v1/notifications/messages?page_size=" + TV.pageSize() + (params.page_token ? "&page_token=" + encodeURIComponent(params.page_token) : "");
      return TV.api("GET", path).then(function (r) {
        if (r.status !== 200) {
          root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
          return;
        }
        var list = TV.el("div", { cls: "list" });
        if (!r.body.messages.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("msg.none") }));
        r.body.messages.forEach(function (m) {
          // Focusable so the viewer can move through them (and the screen scrolls).
          // OK opens what it is about, where it names something (older messages just show).
          var open = m.opens ? function () { TV.openPushed(m.opens); } : null;
          var entry = TV.button("", open, { cls: "entry", nav: "msg:" + m.id });
          entry.appendChild(TV.el("div", { text: m.title }));
          entry.appendChild(TV.el("div", { cls: "sub", text: m.body + " · " + TV.when(m.created_at) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
        if (r.body.next_page_token) {
          root.appendChild(TV.button(TV.t("common.more"), function () { TV.open("messages", { page_token: r.body.next_page_token }); }, { nav: "msg:more", opens: "messages" }));
        }
      });
    }
  });

  // The kinds of message notifications pushes (services/notifications/domain.py); a new one while
  // the list is open shows in it, and the app shows a note of it (not in simple mode).
  ["service_request.received", "service_request.dispatched", "service_request.resolved", "service_request.rejected"].forEach(function (kind) {
    TV.onPush(kind, function () {
      var root = document.getElementById("screen");
      if (root.getAttribute("data-screen") === "messages") TV.redraw();
    });
  });
})();
