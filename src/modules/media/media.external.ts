import type { External } from '../content/content.schema.ts';

// Videos hosted elsewhere are shown as click-to-load facades: nothing is
// requested from the host until the visitor asks. This module turns the page
// URL a curator pastes into the player address, and names the host.

export interface Embed {
  /** The player address loaded into the iframe after the click. */
  src: string;
  /** The origin the iframe loads from (for the Content-Security-Policy). */
  origin: string;
  /** Shown to the visitor: "YouTube", "Vimeo", "PeerTube (video.example.org)". */
  hostName: string;
  /** The host's own page for the video (the link that works without script). */
  watch: string;
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const PEERTUBE_ID = /^[A-Za-z0-9-]{6,64}$/;

/** The embed for an external video, or a reason why the URL cannot be used. */
export function embedOf(x: External): Embed | string {
  let u: URL;
  try {
    u = new URL(x.url);
  } catch {
    return 'is not a valid URL';
  }
  const host = u.hostname.toLowerCase();
  switch (x.provider) {
    case 'youtube': {
      const id = host === 'youtu.be' ? u.pathname.slice(1)
        : /(^|\.)youtube\.com$/.test(host) ? (u.pathname === '/watch' ? u.searchParams.get('v') ?? '' : /^\/(embed|shorts|live)\/([^/]+)/.exec(u.pathname)?.[2] ?? '')
          : '';
      if (!YOUTUBE_ID.test(id)) return 'is not a YouTube video address (expected https://www.youtube.com/watch?v=… or https://youtu.be/…)';
      return { src: `https://www.youtube-nocookie.com/embed/${id}`, origin: 'https://www.youtube-nocookie.com', hostName: 'YouTube', watch: `https://www.youtube.com/watch?v=${id}` };
    }
    case 'vimeo': {
      const id = /(^|\.)vimeo\.com$/.test(host) ? /^\/(?:video\/)?(\d{1,12})(?:\/|$)/.exec(u.pathname)?.[1] : undefined;
      if (!id) return 'is not a Vimeo video address (expected https://vimeo.com/<number>)';
      return { src: `https://player.vimeo.com/video/${id}?dnt=1`, origin: 'https://player.vimeo.com', hostName: 'Vimeo', watch: `https://vimeo.com/${id}` };
    }
    case 'peertube': {
      const id = /^\/(?:w|videos\/watch|videos\/embed)\/([^/]+)\/?$/.exec(u.pathname)?.[1];
      if (!id || !PEERTUBE_ID.test(id)) return 'is not a PeerTube video address (expected https://<instance>/w/<id>)';
      return { src: `${u.origin}/videos/embed/${id}`, origin: u.origin, hostName: `PeerTube (${host})`, watch: `${u.origin}/w/${id}` };
    }
  }
}
