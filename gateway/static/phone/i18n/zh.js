/* The phone's words, Chinese first (one catalog per language; this is zh-CN). */
var PHONE = window.PHONE || {};
window.PHONE = PHONE;
PHONE.messages = {
  "app.title": "秀洲智慧广电",
  "common.back": "返回",
  "common.more": "更多",
  "common.loading": "正在加载……",
  "common.failed": "暂时无法打开，请稍后再试",
  "common.deadline": "承诺时限 {at}",
  "signin.title": "登录",
  "signin.intro": "请用家庭成员的手机号和密码登录。",
  "signin.phone": "手机号",
  "signin.password": "密码",
  "signin.submit": "登录",
  "signin.wrong": "手机号或密码不正确，请重新输入。",
  "signin.locked": "密码错误次数过多，请 {seconds} 秒后再试。",
  "signin.missing": "请填写手机号和密码。",
  "signin.invalid": "手机号或密码的格式不正确。",
  "signin.offline": "网络不通，请稍后再试。",
  "signin.expired": "登录已过期，请重新登录。",
  "home.title": "我家的服务",
  "home.unavailable": "暂时无法使用，请稍后再试",
  "home.on_tv": "请在电视上使用",
  "home.empty": "暂无内容",
  "home.failed": "首页暂时无法打开",
  "home.retry": "重试",
  "home.sign_out": "退出登录",
  "home.scan": "扫码登录电视",
  "home.notify": "开启消息提醒（应用关闭时也能收到）",
  "home.notify_on": "已开启消息提醒。",
  "home.notify_off": "未能开启消息提醒，可在浏览器设置中允许通知。",
  "scan.title": "扫码登录电视",
  "scan.read_title": "扫码",
  "scan.intro": "请把手机摄像头对准电视上的二维码。",
  "scan.camera": "摄像头画面",
  "scan.aim": "正在识别二维码……",
  "scan.no_camera": "无法打开摄像头。可以拍照选择二维码图片，或输入电视上的登录码。",
  "scan.not_tv": "这不是电视登录的二维码，请扫描电视上显示的二维码。",
  "scan.no_code": "图片中没有找到二维码，请重新拍摄。",
  "scan.photo": "拍照或选择二维码图片",
  "scan.type": "或输入电视上的登录码（8 个字母）",
  "scan.bad_code": "登录码是 8 个字母，例如 WDJB-MJHT，请核对后重新输入。",
  "scan.next": "下一步",
  "scan.confirm_title": "确认登录电视",
  "scan.confirm_intro": "请核对电视上显示的登录码：",
  "scan.approve": "确认登录",
  "scan.decline": "不是我，拒绝",
  "scan.approved": "已确认，电视将自动登录。",
  "scan.declined": "已拒绝这台电视的登录。",
  "scan.unknown": "没有找到这个登录码，请看电视上的登录码是否已更换。",
  "scan.expired": "登录码已过期，请在电视上换一个登录码。",
  "scan.used": "这个登录码已经用过了。",
  "scan.full": "您家登录的电视已达上限，请先在电视的“我的设备”中移除一台。",
  "scan.locked": "尝试次数过多，请 {seconds} 秒后再试。",
  "home.household": "{name}",
  "push.new": "新消息：{title}",
  "push.open": "查看",
  "push.alert": "应急广播：{title}",
  "rating.very_satisfied": "非常满意",
  "rating.satisfied": "满意",
  "rating.basically_satisfied": "基本满意",
  "rating.dissatisfied": "不满意",
  "rating.very_dissatisfied": "非常不满意"
};
// 好差评's five levels, best first (services/rules/ratings.py): every domain's rating screen.
PHONE.RATING_LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"];
PHONE.t = function (key, vars) {
  var text = PHONE.messages[key] || key;
  for (var name in vars || {}) text = text.split("{" + name + "}").join(vars[name]);
  return text;
};
/* A domain's screens add their own words. */
PHONE.addMessages = function (more) {
  for (var k in more) PHONE.messages[k] = more[k];
};
