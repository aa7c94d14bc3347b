/* Culture and tourism on the TV: what is on, the venues (the rural broadcasting memory museum first,
   with its galleries, exhibits and audio guide),
   a timed-entry reservation with the remote (slot, party size, each visitor's ID number typed with the
   number keys), and my tickets with their QR code for the gate. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "screen.tourism": "文化旅游",
    "tr.events": "近期活动",
    "tr.venues": "预约参观",
    "tr.tickets": "我的门票",
    "tr.today": "今日活动",
    "tr.no_events": "近期没有活动",
    "tr.hours": "开放时间 {hours}",
    "tr.capacity": "瞬时承载量 {now} 人 · 日最大承载量 {day} 人",
    "tr.free": "免费参观",
    "tr.access": "无障碍：{text}",
    "tr.galleries": "展厅：{list}",
    "tr.choose_slot": "选择入馆时段",
    "tr.no_slots": "近7天暂无可预约的时段",
    "tr.left": "余 {n} 位",
    "tr.party_title": "几位参观？",
    "tr.party": "{n} 人",
    "tr.visitor": "第 {i}/{n} 位参观者的身份证号",
    "tr.type_hint": "用遥控器数字键输入，末位是X时选“X”",
    "tr.x": "X",
    "tr.delete": "删除",
    "tr.next": "下一位",
    "tr.done": "完成",
    "tr.need_18": "身份证号是18位",
    "tr.confirm_title": "请确认预约",
    "tr.reserve": "确认预约",
    "tr.failed": "预约没有成功：{detail}",
    "tr.no_tickets": "还没有预约",
    "tr.show_at_gate": "请在入口出示此二维码",
    "tr.cancel": "取消预约",
    "tr.cancel_until": "可取消至 {at}",
    "tr.party_of": "{n} 人",
    "screen.tourism.events": "近期活动",
    "screen.tourism.venues": "场馆",
    "screen.tourism.venue": "场馆介绍",
    "screen.tourism.slots": "选择入馆时段",
    "screen.tourism.party": "参观人数",
    "screen.tourism.visitors": "参观者",
    "screen.tourism.confirm": "请确认预约",
    "screen.tourism.tickets": "我的门票",
    "screen.tourism.ticket": "门票",
    "tr.tour": "展厅导览",
    "tr.floor": "{n}楼",
    "tr.exhibit_count": "{n} 件展品",
    "tr.listen": "收听讲解",
    "tr.stop": "停止讲解",
    "tr.playing": "正在讲解……",
    "tr.no_voice": "本机不支持语音播报，请阅读下方讲解词",
    "tr.offer_until": "候补成功！名额为您保留至 {at}，请尽快确认",
    "tr.full": "已约满，可排队候补",
    "tr.wait": "排队候补",
    "tr.waiting_note": "正在候补，有空位时电视会通知您",
    "tr.wait_title": "请确认候补",
    "screen.tourism.galleries": "展厅导览",
    "screen.tourism.gallery": "展厅",
    "screen.tourism.exhibit": "展品",
    "tr.figures": "展区实时数据",
    "screen.tourism.figures": "广播公共服务展区 · 实时数据",
    "tr.fig_requests": "广电服务按时办结",
    "tr.fig_requests_detail": "{on_time} / {done} 件（自 {since} 起办结的服务请求中，在服务标准时限内办结的）",
    "tr.fig_alerts": "应急广播送达终端",
    "tr.fig_alerts_detail": "{delivered} / {targeted} 台次（{alerts} 条预警：已回执的终端 / 应送达的终端）",
    "tr.fig_egov": "政务服务零跑腿办结",
    "tr.fig_egov_detail": "{none} / {done} 件（办结的办事申请中一次也不用跑的；最多跑一次 {one} 件）",
    "tr.fig_off": "暂无数据"
  });

  // The audio guide: the museum's recording where it has one, else the box reads the guide's text aloud.
  var player = null;
  function stopGuide() {
    if (player) { player.pause(); player = null; }
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }
  function playGuide(exhibit) {
    stopGuide();
    if (exhibit.audio_url) {
      player = new Audio(exhibit.audio_url);
      player.play();
      return true;
    }
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) return false;
    var u = new SpeechSynthesisUtterance(exhibit.guide_text);
    u.lang = "zh-CN";
    u.rate = TV.simple ? 0.8 : 1;
    window.speechSynthesis.speak(u);
    return true;
  }

  // The galleries are read once per visit to the tour (one call brings every exhibit).
  function galleries(venueId) {
    return TV.api("GET", "/v1/tourism/venues/" + encodeURIComponent(venueId) + "/galleries");
  }

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  function hm(iso) {
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function slotLabel(startsAt, endsAt) {
    return TV.when(startsAt) + "–" + hm(endsAt);
  }

  function masked(id) {
    return id.slice(0, 4) + "**********" + id.slice(14);
  }

  TV.screen("tourism", {
    title: "screen.tourism",
    render: function (root) {
      root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, [
        TV.button(TV.t("tr.venues"), function () { TV.open("tourism.venues"); }, { nav: "tr:venues", opens: "tourism.venues", cls: "btn big" }),
        TV.button(TV.t("tr.tickets"), function () { TV.open("tourism.tickets"); }, { nav: "tr:tickets", opens: "tourism.tickets", cls: "btn big" }),
        TV.button(TV.t("tr.events"), function () { TV.open("tourism.events"); }, { nav: "tr:events", opens: "tourism.events", cls: "btn big" }),
        TV.button(TV.t("tr.figures"), function () { TV.open("tourism.figures"); }, { nav: "tr:figures", opens: "tourism.figures", cls: "btn big" })
      ]));
      return TV.api("GET", "/v1/tourism/events?days=1").then(function (r) {
        root.appendChild(TV.el("h2", { text: TV.t("tr.today") }));
        if (r.status !== 200) return failed(root);
        if (!r.body.events.length) root.appendChild(TV.el("p", { cls: "muted", text: TV.t("tr.no_events") }));
        r.body.events.slice(0, TV.pageSize()).forEach(function (e) {
          root.appendChild(TV.el("p", { text: e.title + " · " + e.venue_name + " " + e.times }));
        });
      });
    }
  });

  // The museum exhibition area's three live public figures (the same as its big screen's).
  TV.screen("tourism.figures", {
    title: "screen.tourism.figures",
    render: function (root) {
      return TV.api("GET", "/v1/tourism/exhibition/figures").then(function (r) {
        if (r.status !== 200) return failed(root);
        var q = r.body.service_requests, a = r.body.alerts, g = r.body.egov;
        function figure(id, title, available, detail) {
          root.appendChild(TV.el("h2", { text: TV.t(title) }));
          root.appendChild(TV.el("p", { id: id, cls: "facts", text: available ? detail : TV.t("tr.fig_off") }));
        }
        figure("tr-fig-requests", "tr.fig_requests", q.available,
          TV.t("tr.fig_requests_detail", { on_time: q.done_on_time || 0, done: q.done || 0, since: q.since }));
        figure("tr-fig-alerts", "tr.fig_alerts", a.available,
          TV.t("tr.fig_alerts_detail", { delivered: a.delivered || 0, targeted: a.targeted || 0, alerts: a.alerts || 0 }));
        figure("tr-fig-egov", "tr.fig_egov", g.available,
          TV.t("tr.fig_egov_detail", { none: g.done_without_travel || 0, done: g.done || 0, one: g.done_at_most_one_visit || 0 }));
        root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
      });
    }
  });

  TV.screen("tourism.events", {
    title: "screen.tourism.events",
    render: function (root) {
      return TV.api("GET", "/v1/tourism/events?days=7").then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.events.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("tr.no_events") }));
        r.body.events.slice(0, TV.simple ? 4 : 8).forEach(function (e, i) {
          var entry = TV.button("", function () { TV.open("tourism.venue", { id: e.venue_id }); }, { cls: "entry", nav: "event:" + i, opens: "tourism.venue" });
          entry.appendChild(TV.el("div", {}, [e.title, TV.el("span", { cls: "state", text: e.kind_label })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: e.date + " " + e.times + " · " + e.venue_name }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("tourism.venues", {
    title: "screen.tourism.venues",
    render: function (root) {
      return TV.api("GET", "/v1/tourism/venues").then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        r.body.venues.forEach(function (v) {
          var entry = TV.button("", function () { TV.open("tourism.venue", { id: v.id }); }, { cls: "entry", nav: "venue:" + v.id, opens: "tourism.venue" });
          entry.appendChild(TV.el("div", {}, [v.name, TV.el("span", { cls: "state", text: v.kind_label })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: v.town + " · " + v.hours_text }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("tourism.venue", {
    title: "screen.tourism.venue",
    render: function (root, params) {
      return TV.api("GET", "/v1/tourism/venues/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var v = r.body;
        root.appendChild(TV.el("h1", { text: v.name }));
        root.appendChild(TV.el("p", { text: v.description }));
        root.appendChild(TV.el("p", { text: TV.t("tr.hours", { hours: v.hours_text }) + (v.free_entry ? " · " + TV.t("tr.free") : "") }));
        root.appendChild(TV.el("p", { text: TV.t("tr.capacity", { now: v.instantaneous_capacity, day: v.daily_capacity }) }));
        if (v.galleries && v.galleries.length) root.appendChild(TV.el("p", { text: TV.t("tr.galleries", { list: v.galleries.join("、") }) }));
        if (v.accessibility && v.accessibility.length) root.appendChild(TV.el("p", { cls: "muted", text: TV.t("tr.access", { text: v.accessibility.join("；") }) }));
        var actions = [TV.button(TV.t("tr.choose_slot"), function () { TV.open("tourism.slots", { id: v.id, name: v.name }); }, { nav: "venue:slots", opens: "tourism.slots", cls: "btn big" })];
        if (v.galleries && v.galleries.length) {
          actions.push(TV.button(TV.t("tr.tour"), function () { TV.open("tourism.galleries", { id: v.id }); }, { nav: "venue:tour", opens: "tourism.galleries", cls: "btn big" }));
        }
        root.appendChild(TV.el("div", { cls: "row" }, actions));
      });
    }
  });

  TV.screen("tourism.galleries", {
    title: "screen.tourism.galleries",
    render: function (root, params) {
      stopGuide();
      return galleries(params.id).then(function (r) {
        if (r.status !== 200) return failed(root);
        root.appendChild(TV.el("h2", { text: r.body.venue_name }));
        var list = TV.el("div", { cls: "list" });
        r.body.galleries.forEach(function (g, i) {
          var entry = TV.button("", function () { TV.open("tourism.gallery", { id: params.id, gallery: g.id }); }, { cls: "entry", nav: "gallery:" + g.id, opens: "tourism.gallery" });
          entry.appendChild(TV.el("div", {}, [(i + 1) + "  " + g.name, TV.el("span", { cls: "state", text: TV.t("tr.floor", { n: g.floor }) })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: g.intro + " · " + TV.t("tr.exhibit_count", { n: g.exhibits.length }) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("tourism.gallery", {
    title: "screen.tourism.gallery",
    render: function (root, params) {
      stopGuide();
      return galleries(params.id).then(function (r) {
        if (r.status !== 200) return failed(root);
        var g = r.body.galleries.filter(function (x) { return x.id === params.gallery; })[0];
        if (!g) return failed(root);
        root.appendChild(TV.el("h1", { text: g.name }));
        root.appendChild(TV.el("p", { cls: "muted", text: g.intro }));
        var list = TV.el("div", { cls: "list" });
        g.exhibits.forEach(function (e) {
          var entry = TV.button("", function () { TV.open("tourism.exhibit", { id: params.id, gallery: g.id, exhibit: e.id }); }, { cls: "entry", nav: "exhibit:" + e.id, opens: "tourism.exhibit" });
          entry.appendChild(TV.el("div", {}, [e.name, TV.el("span", { cls: "state", text: e.era })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: e.story }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("tourism.exhibit", {
    title: "screen.tourism.exhibit",
    render: function (root, params) {
      stopGuide();
      return galleries(params.id).then(function (r) {
        if (r.status !== 200) return failed(root);
        var e = null;
        r.body.galleries.forEach(function (g) {
          g.exhibits.forEach(function (x) { if (x.id === params.exhibit) e = x; });
        });
        if (!e) return failed(root);
        var text = TV.el("div", { cls: "signin-text" }, [
          TV.el("h1", { text: e.name }),
          TV.el("p", { cls: "state", text: e.era }),
          TV.el("p", { text: e.story })
        ]);
        var photo = e.photo_url ? TV.el("figure", { style: "margin:0" }, [
          TV.el("img", { cls: "qr", id: "tr-photo", alt: e.name, src: e.photo_url }),
          e.photo_note ? TV.el("figcaption", { cls: "muted", id: "tr-photo-note", text: e.photo_note }) : null
        ]) : null;
        root.appendChild(TV.el("div", { cls: "row" }, [photo, text]));
        var note = TV.el("p", { cls: "result", id: "tr-guide-state" });
        root.appendChild(TV.el("div", { cls: "row" }, [
          TV.button(TV.t("tr.listen"), function () {
            note.textContent = TV.t(playGuide(e) ? "tr.playing" : "tr.no_voice");
          }, { nav: "exhibit:listen", cls: "btn big" }),
          TV.button(TV.t("tr.stop"), function () { stopGuide(); note.textContent = ""; }, { nav: "exhibit:stop", cls: "btn big" })
        ]));
        root.appendChild(note);
        // The guide's words on the screen too: for whoever cannot hear it, or a box that cannot speak.
        root.appendChild(TV.el("p", { cls: "muted", id: "tr-guide", text: e.guide_text }));
      });
    }
  });

  TV.screen("tourism.slots", {
    title: "screen.tourism.slots",
    render: function (root, params) {
      return TV.api("GET", "/v1/tourism/venues/" + encodeURIComponent(params.id) + "/slots").then(function (r) {
        if (r.status !== 200) return failed(root);
        root.appendChild(TV.el("h2", { text: r.body.venue_name }));
        var list = TV.el("div", { cls: "list" });
        if (!r.body.slots.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("tr.no_slots") }));
        r.body.slots.slice(0, TV.simple ? 6 : 12).forEach(function (s, i) {
          var label = slotLabel(s.starts_at, s.ends_at);
          var most = Math.min(r.body.max_party, s.remaining);
          var entry = TV.button("", function () {
            TV.open("tourism.party", { slot: s.id, venue: r.body.venue_name, label: label, most: most });
          }, { cls: "entry", nav: "slot:" + i, opens: "tourism.party" });
          entry.appendChild(TV.el("div", {}, [label, TV.el("span", { cls: "state", text: TV.t("tr.left", { n: s.remaining }) })]));
          list.appendChild(entry);
        });
        root.appendChild(list);
        // A full slot is not booked but waited for: its waiting list, apart and marked so.
        var full = (r.body.full_slots || []).slice(0, TV.simple ? 3 : 6);
        if (!full.length) return;
        root.appendChild(TV.el("h2", { text: TV.t("tr.full") }));
        var waits = TV.el("div", { cls: "list" });
        full.forEach(function (s, i) {
          var label = slotLabel(s.starts_at, s.ends_at);
          var entry = TV.button("", function () {
            TV.open("tourism.party", { slot: s.id, venue: r.body.venue_name, label: label, most: r.body.max_party, wait: true });
          }, { cls: "entry", nav: "wait:" + i, opens: "tourism.party" });
          entry.appendChild(TV.el("div", {}, [label, TV.el("span", { cls: "state", text: TV.t("tr.wait") })]));
          waits.appendChild(entry);
        });
        root.appendChild(waits);
      });
    }
  });

  TV.screen("tourism.party", {
    title: "tr.party_title",
    render: function (root, params) {
      root.appendChild(TV.el("h2", { text: params.venue + " · " + params.label }));
      var row = TV.el("div", { cls: "row" });
      for (var n = 1; n <= params.most; n++) {
        (function (n) {
          row.appendChild(TV.button(TV.t("tr.party", { n: n }), function () {
            TV.open("tourism.visitors", { slot: params.slot, venue: params.venue, label: params.label, party: n, ids: [], typed: "", wait: !!params.wait });
          }, { nav: "party:" + n, opens: "tourism.visitors", cls: "btn big" }));
        })(n);
      }
      root.appendChild(row);
    }
  });

  // The visitor whose ID number is being typed: the number keys write into it.
  var typing = null;

  TV.screen("tourism.visitors", {
    title: "screen.tourism.visitors",
    digit: function (n) {
      if (!typing || typing.params.typed.length >= 18) return;
      typing.params.typed += String(n);
      typing.show();
    },
    render: function (root, params) {
      var i = params.ids.length + 1;
      root.appendChild(TV.el("h2", { text: TV.t("tr.visitor", { i: i, n: params.party }) }));
      var field = TV.el("div", { cls: "code", id: "tr-id" });
      var note = TV.el("p", { cls: "muted", text: TV.t("tr.type_hint") });
      typing = {
        params: params,
        show: function () { field.textContent = params.typed || "—"; }
      };
      typing.show();
      root.appendChild(field);
      root.appendChild(note);
      var last = i === params.party;
      root.appendChild(TV.el("div", { cls: "row" }, [
        TV.button(TV.t("tr.x"), function () {
          if (params.typed.length === 17) { params.typed += "X"; typing.show(); }
        }, { nav: "id:x", cls: "btn" }),
        TV.button(TV.t("tr.delete"), function () { params.typed = params.typed.slice(0, -1); typing.show(); }, { nav: "id:delete", cls: "btn" }),
        TV.button(TV.t(last ? "tr.done" : "tr.next"), function () {
          if (params.typed.length !== 18) { note.textContent = TV.t("tr.need_18"); return; }
          params.ids.push(params.typed);
          params.typed = "";
          if (!last) return TV.redraw();
          var all = params.ids;
          params.ids = []; // back from the confirmation starts the ID numbers again
          TV.open("tourism.confirm", { slot: params.slot, venue: params.venue, label: params.label, ids: all, key: TV.uuid(), wait: params.wait });
        }, { nav: "id:next", cls: "btn big" })
      ]));
    }
  });

  TV.screen("tourism.confirm", {
    title: "tr.confirm_title",
    render: function (root, params) {
      if (params.wait) return waitConfirm(root, params);
      root.appendChild(TV.el("h1", { text: params.venue }));
      root.appendChild(TV.el("p", { text: params.label + " · " + TV.t("tr.party_of", { n: params.ids.length }) }));
      params.ids.forEach(function (id) { root.appendChild(TV.el("p", { cls: "muted", text: masked(id) })); });
      var note = TV.el("p", { cls: "result" });
      var reserve = TV.button(TV.t("tr.reserve"), function () {
        // The key was made when this screen opened: pressing OK twice holds one reservation.
        TV.api("POST", "/v1/tourism/reservations", { slot_id: params.slot, visitor_id_numbers: params.ids }, { "Idempotency-Key": params.key }).then(function (r) {
          if (r.status !== 201) throw r;
          return TV.api("POST", "/v1/tourism/reservations/" + r.body.id + "/confirm");
        }).then(function (r) {
          if (r.status !== 200) throw r;
          TV.open("tourism.ticket", { id: r.body.id });
        }).catch(function (r) {
          note.textContent = TV.t("tr.failed", { detail: (r && r.body && r.body.detail) || (r && r.status) || "" });
        });
      }, { nav: "confirm:reserve", cls: "btn big" });
      root.appendChild(TV.el("div", { cls: "row" }, [reserve, TV.button(TV.t("common.back"), TV.back, { nav: "confirm:back", cls: "btn big" })]));
      root.appendChild(note);
    }
  });

  // Joining a full slot's waiting list: no hold to confirm; the offer comes later (a push, 我的门票).
  function waitConfirm(root, params) {
    root.appendChild(TV.el("h1", { text: params.venue }));
    root.appendChild(TV.el("p", { text: params.label + " · " + TV.t("tr.party_of", { n: params.ids.length }) + " · " + TV.t("tr.full") }));
    params.ids.forEach(function (id) { root.appendChild(TV.el("p", { cls: "muted", text: masked(id) })); });
    var note = TV.el("p", { cls: "result" });
    var wait = TV.button(TV.t("tr.wait"), function () {
      TV.api("POST", "/v1/tourism/waiting-list", { slot_id: params.slot, visitor_id_numbers: params.ids }, { "Idempotency-Key": params.key }).then(function (r) {
        if (r.status !== 201) throw r;
        TV.open("tourism.ticket", { id: r.body.id });
      }).catch(function (r) {
        note.textContent = TV.t("tr.failed", { detail: (r && r.body && r.body.detail) || (r && r.status) || "" });
      });
    }, { nav: "confirm:wait", cls: "btn big" });
    root.appendChild(TV.el("div", { cls: "row" }, [wait, TV.button(TV.t("common.back"), TV.back, { nav: "confirm:back", cls: "btn big" })]));
    root.appendChild(note);
  }

  // Pushed by notifications when a waiting list's places come to this household (候补到号): the
  // tickets' screens show the offer at once.
  TV.onPush("tourism.offer", function () {
    var on = document.getElementById("screen").getAttribute("data-screen");
    if (on === "tourism.tickets" || on === "tourism.ticket") TV.redraw();
  });

  TV.screen("tourism.tickets", {
    title: "screen.tourism.tickets",
    render: function (root) {
      return TV.api("GET", "/v1/tourism/reservations?page_size=" + TV.pageSize()).then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.reservations.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("tr.no_tickets") }));
        r.body.reservations.forEach(function (res) {
          var entry = TV.button("", function () { TV.open("tourism.ticket", { id: res.id }); }, { cls: "entry", nav: "ticket:" + res.id, opens: "tourism.ticket" });
          entry.appendChild(TV.el("div", {}, [res.venue_name, TV.el("span", { cls: "state", text: res.state_label })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: slotLabel(res.starts_at, res.ends_at) + " · " + TV.t("tr.party_of", { n: res.party }) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("tourism.ticket", {
    title: "screen.tourism.ticket",
    render: function (root, params) {
      return TV.api("GET", "/v1/tourism/reservations/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var res = r.body;
        var text = TV.el("div", { cls: "signin-text" }, [
          TV.el("h1", { text: res.venue_name }),
          TV.el("p", { text: slotLabel(res.starts_at, res.ends_at) + " · " + TV.t("tr.party_of", { n: res.party }) }),
          TV.el("p", { cls: "state", id: "tr-state", text: res.state_label }),
          res.state === "offered" && res.expires_at ? TV.el("p", { id: "tr-offer", text: TV.t("tr.offer_until", { at: TV.when(res.expires_at) }) }) : null,
          res.state === "waiting" ? TV.el("p", { id: "tr-waiting", text: TV.t("tr.waiting_note") }) : null,
          res.ticket_code ? TV.el("p", { text: TV.t("tr.show_at_gate") }) : null,
          res.cancel_until && (res.state === "held" || res.state === "confirmed") ? TV.el("p", { cls: "muted", text: TV.t("tr.cancel_until", { at: TV.when(res.cancel_until) }) }) : null
        ]);
        var qr = res.ticket_code ? TV.el("img", { cls: "qr", id: "tr-qr", alt: res.ticket_code, src: "/v1/tourism/qr.svg?code=" + encodeURIComponent(res.ticket_code) }) : null;
        root.appendChild(TV.el("div", { cls: "row" }, [qr, text]));
        var note = TV.el("p", { cls: "result" });
        var actions = [];
        if (res.state === "held" || res.state === "offered") {
          actions.push(TV.button(TV.t("tr.reserve"), function () {
            TV.api("POST", "/v1/tourism/reservations/" + res.id + "/confirm").then(function (c) {
              if (c.status === 200) return TV.redraw();
              note.textContent = TV.t("tr.failed", { detail: (c.body && c.body.detail) || c.status });
            });
          }, { nav: "ticket:confirm", cls: "btn" }));
        }
        if (res.state === "held" || res.state === "confirmed" || res.state === "waiting" || res.state === "offered") {
          actions.push(TV.button(TV.t("tr.cancel"), function () {
            TV.api("POST", "/v1/tourism/reservations/" + res.id + "/cancel").then(function (c) {
              if (c.status === 200) return TV.redraw();
              note.textContent = TV.t("tr.failed", { detail: (c.body && c.body.detail) || c.status });
            });
          }, { nav: "ticket:cancel", cls: "btn" }));
        }
        actions.push(TV.button(TV.t("common.back"), TV.back, { nav: "ticket:back", cls: "btn" }));
        root.appendChild(TV.el("div", { cls: "row" }, actions));
        root.appendChild(note);
      });
    }
  });
})();
