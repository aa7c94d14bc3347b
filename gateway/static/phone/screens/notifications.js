/* Notifications on the phone: the messages pushed to the household (the TV's list, newest first),
   and a note of each new one from the household's push stream. */
(function () {
  var P = window.PHONE;
  P.addMessages({ "screen.messages": "消息", "msg.none": "暂无消息" });

  P.screen("messages", {
    title: "screen.messages",
    render: function (root, params) {
      var path = "/v1/notifications/messages?page_size=20" + (params.page_token ? "&page_token=" + encodeURIComponent(params.page_token) : "");
      return P.api("GET", path).then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        if (!r.body.messages.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("msg.none") }));
        r.body.messages.forEach(function (m) {
          var lines = [
            P.el("div", { cls: "title", text: m.title }),
            P.el("div", { text: m.body }),
            P.el("div", { cls: "sub", text: P.when(m.created_at) })
          ];
          // A message that names what it is about opens it (older ones just show).
          if (!m.opens) return root.appendChild(P.el("div", { cls: "card", "data-name": "msg:" + m.id }, lines));
          var card = P.button("", function () { P.openPushed(m.opens); }, { cls: "card", name: "msg:" + m.id });
          lines.forEach(function (l) { card.appendChild(l); });
          root.appendChild(card);
        });
        if (r.body.next_page_token) {
          root.appendChild(P.button(P.t("common.more"), function () { P.open("messages", { page_token: r.body.next_page_token }); }, { name: "msg:more", cls: "secondary" }));
        }
      });
    }
  });

  // The kinds notifications pushes (services/notifications/domain.py), as the TV listens for them,
  // and e-government's steps (the TV's screens/egov.js lists them too).
  var EGOV_STEPS = ["submitted", "resubmitted", "accepted", "returned", "rejected", "approved", "refused",
    "appointment_booked", "appointment_cancelled", "appointment_reminded", "rating_invited",
    "certificate_issued", "closed", "handed_over"];
  ["service_request.received", "service_request.dispatched", "service_request.resolved", "service_request.rejected"]
    .concat(EGOV_STEPS.map(function (step) { return "egov." + step; })).forEach(function (kind) {
    P.onPush(kind, function (message) {
      P.banner(P.t("push.new", { title: message.title }), false, message.opens);
      if (document.getElementById("screen").getAttribute("data-screen") === "messages") P.redraw();
    });
  });
})();
