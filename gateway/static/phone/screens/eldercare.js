/* Eldercare on the phone, for family: bind to an elder with the code the elder's TV shows, or accept an
   invitation sent to this phone's number (and, for the elder's own household, invite family by number), then see
   each bound elder (health notes, the home kit online or not, the open alarms, answered here, and
   the doses missed lately). Family see but neither confirm doses nor command devices: those are the
   elder's own TV's (the service refuses them; this screen does not offer them). */
(function () {
  var P = window.PHONE;
  P.addMessages({
    "screen.eldercare": "智慧养老",
    "screen.eldercare.bind": "绑定家中老人",
    "ec.bind": "绑定家中老人",
    "ec.bind_intro": "请在老人家的电视上打开“智慧养老”，生成邀请码，10 分钟内在这里输入。",
    "ec.code": "8 位邀请码",
    "ec.submit": "绑定",
    "ec.code_format": "请输入 8 位数字邀请码。",
    "ec.code_wrong": "邀请码不对、已用过或已过期，请在电视上重新生成。",
    "ec.own": "这是您自己家的老人，已经能看到。",
    "ec.bound": "已绑定：{name}。",
    "ec.failed": "没有成功：{detail}",
    "ec.to_elders": "查看老人情况",
    "ec.none": "还没有绑定老人。",
    "ec.elder": "{name}（{year} 年生）",
    "ec.conditions": "健康情况：{list}",
    "ec.devices": "家中设备",
    "ec.no_devices": "暂无设备",
    "ec.online": "在线",
    "ec.offline": "离线",
    "ec.alarms": "未处理的告警",
    "ec.no_alarms": "没有未处理的告警",
    "ec.raised": "{name} · {at}",
    "ec.repeats": "（又触发 {n} 次）",
    "ec.ack": "我已知晓，停止提醒",
    "ec.acked": "已有人确认",
    "ec.missed": "漏服药",
    "ec.no_missed": "近期没有漏服药",
    "ec.missed_one": "{medicine} {dose} · {at} 未服",
    "ec.rectifications": "差评整改",
    "ec.rect.alarm": "告警处理",
    "ec.rect.care_order": "服务工单",
    "ec.rect.open": "待回访（{at} 前）",
    "ec.rect.called_back": "已回访，整改中（{at} 前完成）",
    "ec.rect.fixed": "已整改",
    "ec.rect.overdue": "已超期",
    "ec.rect.answer": "养老服务中心答复：{text}",
    "screen.eldercare.invite": "邀请家人",
    "ec.invitations": "家人邀请",
    "ec.invited_you": "邀请您绑定老人：{name}（{until} 前有效）",
    "ec.accept": "接受邀请",
    "ec.invite": "用手机号邀请家人",
    "ec.invite_intro": "输入家人的手机号。对方用这个手机号登录本应用后，就能看到邀请并接受，一周内有效。",
    "ec.phone": "家人的手机号",
    "ec.send": "发送邀请",
    "ec.phone_format": "请输入 11 位手机号。",
    "ec.invite_sent": "已邀请 {phone}，对方登录后接受即可（{until} 前有效）。",
    "ec.invite_own": "这是您自己的手机号。",
    "ec.invite_not_yours": "只有老人自己家的成员可以邀请家人。"
  });

  // Invitations sent to this phone's number: accepted here, with the code that came with them.
  function invitationsOf(invitations) {
    if (!invitations.length) return null;
    var box = P.el("section", { "data-name": "ec:invitations" }, [P.el("h2", { text: P.t("ec.invitations") })]);
    invitations.forEach(function (i) {
      var note = P.el("p", { role: "alert" });
      var accept = P.button(P.t("ec.accept"), function () {
        accept.disabled = true;
        P.api("POST", "/v1/eldercare/family-bindings", { code: i.code }).then(function (x) {
          if (x.status === 201) { P.banner(P.t("ec.bound", { name: x.body.elder_name })); P.redraw(); return; }
          accept.disabled = false;
          note.className = "error";
          note.textContent = x.status === 404 ? P.t("ec.code_wrong") : x.status === 409 ? P.t("ec.own") : P.t("ec.failed", { detail: P.failure(x) });
        });
      }, { name: "ec:accept:" + i.code });
      box.appendChild(P.el("div", { cls: "card", "data-name": "invitation:" + i.elder_id }, [
        P.el("div", { cls: "title", text: P.t("ec.invited_you", { name: i.elder_name, until: P.when(i.expires_at) }) }), accept, note
      ]));
    });
    return box;
  }

  function ok(r) { return r.status === 200; }

  function devicesCard(devices, kinds) {
    var card = P.el("div", { cls: "card" }, [P.el("div", { cls: "title", text: P.t("ec.devices") })]);
    if (!devices.length) card.appendChild(P.el("div", { cls: "sub", text: P.t("ec.no_devices") }));
    devices.forEach(function (d) {
      card.appendChild(P.el("div", { cls: "sub", "data-name": "device:" + d.id }, [
        kinds[d.profile] || d.profile,
        P.el("span", { cls: "state", text: P.t(d.online ? "ec.online" : "ec.offline") })
      ]));
    });
    return card;
  }

  function alarmsOf(alarms) {
    var box = P.el("div", {}, [P.el("h2", { text: P.t("ec.alarms") })]);
    if (!alarms.length) box.appendChild(P.el("p", { cls: "muted", text: P.t("ec.no_alarms") }));
    alarms.forEach(function (a) {
      var line = P.t("ec.raised", { name: a.name, at: P.when(a.raised_at) }) + (a.repeats ? P.t("ec.repeats", { n: a.repeats }) : "");
      if (a.state === "raised") {
        box.appendChild(P.button(line + " · " + P.t("ec.ack"), function (b) {
          b.disabled = true;
          P.api("POST", "/v1/eldercare/alarms/" + encodeURIComponent(a.id) + "/acknowledge").then(function () { P.redraw(); });
        }, { name: "alarm:" + a.id, cls: "alarm" }));
      } else {
        box.appendChild(P.el("div", { cls: "card", "data-name": "alarm:" + a.id }, [line, P.el("span", { cls: "state", text: P.t("ec.acked") })]));
      }
    });
    return box;
  }

  function missedOf(doses) {
    var box = P.el("div", {}, [P.el("h2", { text: P.t("ec.missed") })]);
    if (!doses.length) box.appendChild(P.el("p", { cls: "muted", text: P.t("ec.no_missed") }));
    doses.forEach(function (d) {
      box.appendChild(P.el("div", { cls: "card", "data-name": "missed:" + d.id }, [
        P.t("ec.missed_one", { medicine: d.medicine, dose: d.dose, at: P.when(d.due_at) })
      ]));
    });
    return box;
  }

  // The 差评 the household or its family gave, and how the care centre is putting them right.
  function rectificationsOf(found) {
    if (!found.length) return null;
    var box = P.el("div", {}, [P.el("h2", { text: P.t("ec.rectifications") })]);
    found.forEach(function (r) {
      var state = r.state === "fixed" ? P.t("ec.rect.fixed")
        : r.state === "called_back" ? P.t("ec.rect.called_back", { at: P.when(r.due_at) })
        : P.t("ec.rect.open", { at: P.when(r.call_back_by) });
      var card = P.el("div", { cls: "card", "data-name": "rect:" + r.id }, [
        P.el("div", { cls: "title" }, [P.t("ec.rect." + r.subject), P.el("span", { cls: "state", text: state })])
      ]);
      if (r.comment) card.appendChild(P.el("div", { cls: "sub", text: r.comment }));
      if (r.overdue) card.appendChild(P.el("div", { cls: "error", text: P.t("ec.rect.overdue") }));
      if (r.answer) card.appendChild(P.el("p", { cls: "done", text: P.t("ec.rect.answer", { text: r.answer }) }));
      box.appendChild(card);
    });
    return box;
  }

  P.screen("eldercare", {
    title: "screen.eldercare",
    render: function (root) {
      return P.api("GET", "/v1/eldercare/elders").then(function (r) {
        if (!ok(r)) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        var elders = r.body.elders;
        if (!elders.length) root.appendChild(P.el("p", { text: P.t("ec.none") }));
        return Promise.all([
          P.api("GET", "/v1/eldercare/profiles"),
          P.api("GET", "/v1/eldercare/family-invitations"),
          Promise.all(elders.map(function (e) {
            var q = "elder_id=" + encodeURIComponent(e.id);
            return Promise.all([
              P.api("GET", "/v1/eldercare/devices?" + q),
              P.api("GET", "/v1/eldercare/alarms?open_only=true&limit=20&" + q),
              P.api("GET", "/v1/eldercare/doses?state=missed&limit=20&" + q),
              P.api("GET", "/v1/eldercare/rectifications?limit=20&" + q)
            ]);
          }))
        ]).then(function (got) {
          var kinds = {};
          (ok(got[0]) ? got[0].body.profiles : []).forEach(function (p) { kinds[p.key] = p.name; });
          var invitations = invitationsOf(ok(got[1]) ? got[1].body.invitations : []);
          if (invitations) root.insertBefore(invitations, root.firstChild);
          elders.forEach(function (e, i) {
            var each = got[2][i];
            var section = P.el("section", { "data-name": "elder:" + e.id }, [
              P.el("h2", { text: P.t("ec.elder", { name: e.name, year: e.birth_year }) })
            ]);
            if (e.conditions && e.conditions.length) section.appendChild(P.el("p", { text: P.t("ec.conditions", { list: e.conditions.join("、") }) }));
            section.appendChild(devicesCard(ok(each[0]) ? each[0].body.devices : [], kinds));
            section.appendChild(alarmsOf(ok(each[1]) ? each[1].body.alarms : []));
            section.appendChild(missedOf(ok(each[2]) ? each[2].body.doses : []));
            var rect = rectificationsOf(ok(each[3]) ? each[3].body.rectifications : []);
            if (rect) section.appendChild(rect);
            section.appendChild(P.button(P.t("ec.invite"), function () { P.open("eldercare.invite", { elder: e }); }, { name: "ec:invite:" + e.id, cls: "secondary" }));
            root.appendChild(section);
          });
          root.appendChild(P.button(P.t("ec.bind"), function () { P.open("eldercare.bind"); }, { name: "ec:bind", cls: "secondary" }));
        });
      });
    }
  });

  // A dose the elder missed, pushed to the family (notifications' eldercare.dose_missed).
  P.onPush("eldercare.dose_missed", function (message) {
    P.banner(message.title + "：" + message.body);
    if (document.getElementById("screen").getAttribute("data-screen") === "eldercare") P.redraw();
  });

  // An alarm of the elder nobody has answered yet (the escalation's family step, repeated), and the care
  // centre's call back about, or fix of, a 差评 this household gave.
  ["eldercare.alarm_reminded", "eldercare.rectification_called_back", "eldercare.rectification_fixed"].forEach(function (kind) {
    P.onPush(kind, function (message) {
      P.banner(message.title + "：" + message.body);
      if (document.getElementById("screen").getAttribute("data-screen") === "eldercare") P.redraw();
    });
  });

  P.screen("eldercare.bind", {
    title: "screen.eldercare.bind",
    render: function (root) {
      var code = P.el("input", { id: "ec-code", type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "8" });
      var note = P.el("p", { role: "alert", id: "ec-note" });
      var submit = P.button(P.t("ec.submit"), function () {
        var value = code.value.replace(/\s+/g, "");
        if (!/^[0-9]{8}$/.test(value)) { note.className = "error"; note.textContent = P.t("ec.code_format"); return; }
        submit.disabled = true;
        P.api("POST", "/v1/eldercare/family-bindings", { code: value }).then(function (x) {
          if (x.status === 201) {
            note.className = "done";
            note.textContent = P.t("ec.bound", { name: x.body.elder_name });
            root.appendChild(P.button(P.t("ec.to_elders"), function () { P.backTo("eldercare"); }, { name: "ec:to_elders" }));
            return;
          }
          submit.disabled = false;
          note.className = "error";
          if (x.status === 404) note.textContent = P.t("ec.code_wrong");
          else if (x.status === 409) note.textContent = P.t("ec.own");
          else if (x.status === 400 || x.status === 422) note.textContent = P.t("ec.code_format");
          else note.textContent = P.t("ec.failed", { detail: P.failure(x) });
        });
      }, { name: "ec:submit" });
      [P.el("p", { text: P.t("ec.bind_intro") }), P.el("label", { for: "ec-code", text: P.t("ec.code") }), code, submit, note]
        .forEach(function (e) { root.appendChild(e); });
    }
  });
  P.screen("eldercare.invite", {
    title: "screen.eldercare.invite",
    render: function (root, args) {
      var elder = (args && args.elder) || {};
      var phone = P.el("input", { id: "ec-phone", type: "tel", inputmode: "numeric", autocomplete: "tel", maxlength: "11" });
      var note = P.el("p", { role: "alert", id: "ec-invite-note" });
      var send = P.button(P.t("ec.send"), function () {
        var value = phone.value.replace(/\s+/g, "");
        if (!/^1[3-9][0-9]{9}$/.test(value)) { note.className = "error"; note.textContent = P.t("ec.phone_format"); return; }
        send.disabled = true;
        P.api("POST", "/v1/eldercare/elders/" + encodeURIComponent(elder.id) + "/family-invitations", { phone: value }).then(function (x) {
          send.disabled = false;
          if (x.status === 201) {
            note.className = "done";
            note.textContent = P.t("ec.invite_sent", { phone: value, until: P.when(x.body.expires_at) });
            return;
          }
          note.className = "error";
          if (x.status === 404) note.textContent = P.t("ec.invite_not_yours");
          else if (x.status === 409) note.textContent = P.t("ec.invite_own");
          else if (x.status === 400 || x.status === 422) note.textContent = P.t("ec.phone_format");
          else note.textContent = P.t("ec.failed", { detail: P.failure(x) });
        });
      }, { name: "ec:send" });
      [P.el("h2", { text: elder.name || "" }), P.el("p", { text: P.t("ec.invite_intro") }), P.el("label", { for: "ec-phone", text: P.t("ec.phone") }), phone, send, note]
        .forEach(function (e) { root.appendChild(e); });
    }
  });
})();
