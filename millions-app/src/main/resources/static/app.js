// The photo app's browser UI: plain JavaScript over the same JSON API that curl and the load
// generator use. Routes live in the hash: #/ (home feed), #/u/NAME (a user's page).
"use strict";

const view = document.getElementById("view");
const nav = document.getElementById("nav");
const message = document.getElementById("message");
let me = null;

async function api(method, path, body) {
  const options = { method, headers: {}, credentials: "same-origin" };
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  // A proxy in front of the app may answer with a page of its own rather than a problem body.
  const isJson = (response.headers.get("Content-Type") || "").includes("json");
  const data = text && isJson ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((data && data.detail) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function show(text, ok = false) {
  message.textContent = text;
  message.className = ok ? "ok" : "";
  message.hidden = false;
  clearTimeout(show.timer);
  show.timer = setTimeout(() => { message.hidden = true; }, 5000);
}

// Runs a form's action with its button disabled, and shows the API's problem message on failure.
function submitting(action) {
  return async (event) => {
    event.preventDefault();
    const button = event.target.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      await action(event.target);
    } catch (error) {
      show(error.message);
    } finally {
      if (button) button.disabled = false;
    }
  };
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function renderNav() {
  nav.replaceChildren();
  if (me) {
    nav.append(
      el("a", { href: "#/" }, "Home"),
      el("a", { href: `#/u/${encodeURIComponent(me.username)}` }, `@${me.username}`),
      el("button", { class: "secondary", onclick: logOut }, "Log out"));
  }
}

async function logOut() {
  await api("DELETE", "/api/session");
  me = null;
  renderNav();
  route();
}

// Behind a CDN the page names the origin; a photo the CDN fails to serve is asked of the origin once,
// marked so that the origin counts the fallback. Where workers make thumbnails, the page names the
// width it shows: a wider photo is shown by its thumbnail, or by itself until a worker has made it.
const origin = document.querySelector('meta[name="millions-origin"]').content;
const thumbnailWidth = Number(document.querySelector('meta[name="millions-thumbnail-width"]').content || 0);

function photo(post) {
  const thumbnail = thumbnailWidth > 0 && post.width > thumbnailWidth
    ? post.imageUrl.replace(/\/media\//, `/media/w${thumbnailWidth}/`) : null;
  const img = el("img", { src: thumbnail || post.imageUrl, alt: post.caption || "photo", width: post.width, height: post.height, loading: "lazy" });
  img.addEventListener("error", () => {
    if (thumbnail && !img.dataset.fallback) {
      img.dataset.fallback = "photo";
      img.src = post.imageUrl;
      return;
    }
    if (!origin || img.dataset.fallback === "origin") return;
    img.dataset.fallback = "origin";
    img.src = `${origin}${post.imageUrl}?fallback=cdn`;
  });
  return img;
}

function postCard(post) {
  const card = el("article", { class: "post" },
    photo(post),
    el("div", { class: "meta" },
      el("a", { href: `#/u/${encodeURIComponent(post.author.username)}` }, post.author.displayName, " @", post.author.username),
      el("time", { datetime: post.createdAt }, new Date(post.createdAt).toLocaleString()),
      me && me.username === post.author.username
        ? el("button", { class: "secondary delete", onclick: () => deletePost(post, card) }, "Delete")
        : null),
    post.caption ? el("div", { class: "caption" }, post.caption) : null);
  return card;
}

// Deleting a post also purges its photo from the CDN edges (the server does that).
async function deletePost(post, card) {
  if (!confirm("Delete this photo?")) return;
  try {
    await api("DELETE", `/api/posts/${post.id}`);
    card.remove();
    show("Deleted.", true);
  } catch (error) {
    show(error.message);
  }
}

// Renders a cursor-paginated list, with a "Load more" button while nextCursor is set.
async function postList(container, path) {
  const list = el("section");
  const more = el("button", { class: "secondary more", hidden: true }, "Load more");
  container.append(list, more);
  let cursor = null;
  async function load() {
    const separator = path.includes("?") ? "&" : "?";
    const page = await api("GET", cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
    page.items.forEach((post) => list.append(postCard(post)));
    if (!list.children.length) list.append(el("p", { class: "empty" }, "No photos yet."));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }
  more.addEventListener("click", () => load().catch((error) => show(error.message)));
  await load();
}

function welcome() {
  const signUp = el("form", { onsubmit: submitting(async (form) => {
      const fields = Object.fromEntries(new FormData(form));
      await api("POST", "/api/users", fields);
      me = await api("POST", "/api/session", { username: fields.username, password: fields.password });
      show(`Welcome, ${me.displayName}!`, true);
      renderNav();
      route();
    }) },
    el("h2", {}, "Sign up"),
    el("label", {}, "Username", el("input", { type: "text", name: "username", required: true, autocomplete: "username", pattern: "[a-z0-9_]{3,30}", title: "3 to 30 of a-z, 0-9 and _" })),
    el("label", {}, "Display name", el("input", { type: "text", name: "displayName", required: true, maxlength: 60 })),
    el("label", {}, "Password", el("input", { type: "password", name: "password", required: true, minlength: 8, autocomplete: "new-password" })),
    el("button", { type: "submit" }, "Create account"));
  const logIn = el("form", { onsubmit: submitting(async (form) => {
      me = await api("POST", "/api/session", Object.fromEntries(new FormData(form)));
      renderNav();
      route();
    }) },
    el("h2", {}, "Log in"),
    el("label", {}, "Username", el("input", { type: "text", name: "username", required: true, autocomplete: "username" })),
    el("label", {}, "Password", el("input", { type: "password", name: "password", required: true, autocomplete: "current-password" })),
    el("button", { type: "submit" }, "Log in"));
  view.replaceChildren(
    el("p", {}, "A small photo-sharing service, running on the \"scale from zero to millions\" design."),
    el("div", { class: "columns" }, signUp, logIn));
}

async function home() {
  const composer = el("form", { onsubmit: submitting(async (form) => {
      await api("POST", "/api/posts", new FormData(form));
      form.reset();
      show("Posted.", true);
      route();
    }) },
    el("h2", {}, "Post a photo"),
    el("label", {}, "Photo (JPEG, PNG or GIF)", el("input", { type: "file", name: "image", accept: "image/jpeg,image/png,image/gif", required: true })),
    el("label", {}, "Caption", el("textarea", { name: "caption", maxlength: 2200 })),
    el("button", { type: "submit" }, "Post"));
  view.replaceChildren(composer, el("h2", {}, "Your feed"));
  await postList(view, "/api/feed?limit=10");
}

async function profile(username) {
  const user = await api("GET", `/api/users/${encodeURIComponent(username)}`);
  const card = el("section", { class: "profile" },
    el("div", {},
      el("h2", {}, user.displayName),
      el("div", { class: "counts" },
        `@${user.username} · ${count(user.posts, "post")} · ${count(user.followers, "follower")} · ${user.following} following`)));
  if (me && me.username !== user.username) {
    const following = user.followedByMe;
    card.append(el("button", { class: following ? "secondary" : "", onclick: async () => {
        try {
          await api(following ? "DELETE" : "PUT", `/api/users/${encodeURIComponent(user.username)}/follow`);
          route();
        } catch (error) { show(error.message); }
      } }, following ? "Unfollow" : "Follow"));
  }
  view.replaceChildren(card);
  await postList(view, `/api/users/${encodeURIComponent(user.username)}/posts?limit=10`);
}

async function route() {
  const match = location.hash.match(/^#\/u\/([^/]+)$/);
  try {
    if (match) await profile(decodeURIComponent(match[1]));
    else if (me) await home();
    else welcome();
  } catch (error) {
    view.replaceChildren(el("p", { class: "empty" }, error.message));
  }
}

window.addEventListener("hashchange", route);
api("GET", "/api/me")
  .then((user) => { me = user; })
  .catch(() => { me = null; })
  .finally(() => { renderNav(); route(); });
