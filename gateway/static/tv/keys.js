/* The one key-mapping table: what each middleware sends for each action of the remote.
   The app reads the key code and maps it here; nothing else in the app knows key codes. */
var TV = window.TV || {};
window.TV = TV;
TV.KEY_TABLES = {
  // Standard (W3C) arrows, Enter, and Backspace as back.
  arrows: { up: 38, down: 40, left: 37, right: 39, ok: 13, back: 8 },
  // iPanel middleware: arrows 1-4, back 340, exit 339.
  ipanel: { up: 1, down: 2, left: 3, right: 4, ok: 13, back: 340, exit: 339 },
  // Huawei-style: back 8.
  huawei: { up: 38, down: 40, left: 37, right: 39, ok: 13, back: 8 },
  // DVB middleware: back 27.
  dvb: { up: 38, down: 40, left: 37, right: 39, ok: 13, back: 27 },
  // HbbTV: back 461, colour keys 403-406.
  hbbtv: { up: 38, down: 40, left: 37, right: 39, ok: 13, back: 461, red: 403, green: 404, yellow: 405, blue: 406 },
  // Keyboards and some boxes: W/S/A/D.
  wasd: { up: 87, down: 83, left: 65, right: 68, ok: 13, back: 8 }
};
// Number keys (main row and keypad) are quick jumps: "digit" with its value.
TV.actionOf = function (code) {
  if (code >= 48 && code <= 57) return { action: "digit", value: code - 48 };
  if (code >= 96 && code <= 105) return { action: "digit", value: code - 96 };
  var action = TV.KEY_CODES[code];
  return action ? { action: action } : null;
};
TV.KEY_CODES = (function () {
  var codes = {};
  for (var table in TV.KEY_TABLES) {
    if (!Object.prototype.hasOwnProperty.call(TV.KEY_TABLES, table)) continue;
    var keys = TV.KEY_TABLES[table];
    for (var action in keys) if (Object.prototype.hasOwnProperty.call(keys, action)) codes[keys[action]] = action;
  }
  return codes;
})();
