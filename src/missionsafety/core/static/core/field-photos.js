// Photos small enough for a thin link: turned upright, at most 1,600 pixels
// on the longest side, JPEG at about 400 KB, the location kept only when the
// reporter asks. Used by field.js; see docs/working-offline.md.
(function (root) {
  "use strict";
  function el(tag, className) {
    var node = document.createElement(tag);
    node.className = className;
    return node;
  }

  var LONGEST = 1600;
  var QUALITY = 0.8;
  var TARGET = 400 * 1024;

  // The EXIF block (APP1) of a JPEG, with the orientation set to upright (the
  // pixels are already turned); null when there is none.
  function exifOf(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
      return null;
    }
    var at = 2;
    while (at + 4 < bytes.length && bytes[at] === 0xff) {
      var marker = bytes[at + 1];
      var length = (bytes[at + 2] << 8) + bytes[at + 3];
      if (marker === 0xe1 && String.fromCharCode.apply(null, bytes.slice(at + 4, at + 8)) === "Exif") {
        var block = bytes.slice(at, at + 2 + length);
        upright(block);
        return block;
      }
      if (marker === 0xda) {
        break;
      }
      at += 2 + length;
    }
    return null;
  }

  function upright(block) {
    var tiff = 10;
    var view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    var little = view.getUint16(tiff) === 0x4949;
    var ifd = tiff + view.getUint32(tiff + 4, little);
    var count = view.getUint16(ifd, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, little) === 0x0112) {
        view.setUint16(entry + 8, 1, little);
      }
    }
  }

  function smaller(file, keepLocation) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        // Quality 0.8; lower only if the photo would still be large.
        var encode = function (quality) {
          return new Promise(function (resolve) {
            canvas.toBlob(resolve, "image/jpeg", quality);
          }).then(function (blob) {
            return blob && blob.size > TARGET && quality > 0.55 ? encode(quality - 0.1) : blob;
          });
        };
        return encode(QUALITY);
      })
      .then(function (blob) {
        if (!blob || (blob.size >= file.size && file.type === "image/jpeg" && keepLocation)) {
          return file;
        }
        var parts = [blob];
        var exif = keepLocation && file.type === "image/jpeg" ? file.arrayBuffer().then(exifOf) : Promise.resolve(null);
        return exif.then(function (block) {
          if (block) {
            parts = [blob.slice(0, 2), block, blob.slice(2)];
          }
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          return new File(parts, name, { type: "image/jpeg", lastModified: file.lastModified });
        });
      })
      .catch(function () {
        return file;
      });
  }

  function showPhoto(input, text) {
    var note = input.parentNode.querySelector(".photo-size");
    if (!note) {
      note = el("p", "hint photo-size");
      input.insertAdjacentElement("afterend", note);
    }
    var total = 0;
    Array.prototype.forEach.call(input.files, function (f) {
      total += f.size;
    });
    note.textContent = input.files.length ? text("photoSize", Math.max(1, Math.round(total / 1024))) : "";
  }

  function watchPhotos(form, save, text) {
    var keep = form.querySelector("[data-keep-location]");
    if (keep) {
      keep.closest("[hidden]") && (keep.closest("[hidden]").hidden = false);
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      input.addEventListener("change", function () {
        if (!input.files.length || input.getAttribute("data-shrunk") === "busy") {
          return;
        }
        input.setAttribute("data-shrunk", "busy");
        Promise.all(
          Array.prototype.map.call(input.files, function (file) {
            return smaller(file, keep && keep.checked);
          })
        ).then(function (files) {
          var list = new DataTransfer();
          files.forEach(function (f) {
            list.items.add(f);
          });
          input.files = list.files;
          input.setAttribute("data-shrunk", "yes");
          showPhoto(input, text);
          save();
        });
      });
    });
  }
  root.MSFieldPhotos = { smaller: smaller, show: showPhoto, watch: watchPhotos };
})(window);
