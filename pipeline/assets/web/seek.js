// Chapter links are plain links to the recording at a time (media fragments: "x.mp3#t=42.1"),
// which work without this script. With it, a plain click plays the player on the page
// from that time instead of leaving the page.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-seek]") : null;
  var player = document.getElementById("narration");
  if (!link || !player || typeof player.play !== "function") return;
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  player.currentTime = Number(link.getAttribute("data-seek"));
  var playing = player.play();
  if (playing) playing.catch(function () {});
});
