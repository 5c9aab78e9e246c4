'use client';

import '@livekit/components-styles';
import { LiveKitRoom, VideoConference } from '@livekit/components-react';
import type { TMediaTicket } from '@/lib/server/video/media-transport';

/** The LiveKit room itself: tiles and controls from LiveKit's components, publishing what the token allows. */
export function LiveKitStage({ ticket, onLeave, onFailure }: { ticket: Extract<TMediaTicket, { transport: 'livekit' }>; onLeave: () => void; onFailure: () => void }) {
  const sources = ticket.grants.canPublishSources;
  return (
    <div className="video-stage" data-lk-theme="default">
      <LiveKitRoom
        serverUrl={ticket.url}
        token={ticket.token}
        connect
        video={sources.includes('camera')}
        audio={sources.includes('microphone') && !ticket.joinMuted}
        onDisconnected={onLeave}
        onError={onFailure}
      >
        <VideoConference />
      </LiveKitRoom>
    </div>
  );
}
