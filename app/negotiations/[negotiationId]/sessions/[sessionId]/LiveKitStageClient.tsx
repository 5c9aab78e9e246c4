'use client';

import '@livekit/components-styles';
import { LiveKitRoom, VideoConference, useRemoteParticipants } from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { useEffect } from 'react';
import type { TMediaTicket } from '@/lib/server/video/media-transport';

/** While a listener hears an interpreter, the floor stays audible underneath, quietly. */
const FLOOR_UNDER_INTERPRETATION = 0.15;

/** The LiveKit room itself: tiles and controls from LiveKit's components, publishing what the token allows. */
export function LiveKitStage({ ticket, channel, onLeave, onFailure }: { ticket: Extract<TMediaTicket, { transport: 'livekit' }>; channel: string; onLeave: () => void; onFailure: () => void }) {
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
        <InterpretationChannel channel={channel} />
        <VideoConference />
      </LiveKitRoom>
    </div>
  );
}

/**
 * V21–V22: a listener hears the interpreters of the chosen language (an interpreter's role and
 * language are attributes the server set in their token) with the floor quietly under them, or the
 * floor alone; the other channels are not even received.
 */
function InterpretationChannel({ channel }: { channel: string }) {
  const participants = useRemoteParticipants({
    updateOnlyOn: [RoomEvent.ParticipantConnected, RoomEvent.ParticipantDisconnected, RoomEvent.TrackPublished, RoomEvent.TrackUnpublished, RoomEvent.ParticipantAttributesChanged],
  });
  useEffect(() => {
    for (const participant of participants) {
      if (participant.attributes.role === 'interpreter') {
        participant.getTrackPublication(Track.Source.Microphone)?.setSubscribed(participant.attributes.language === channel);
      } else {
        participant.setVolume(channel === 'floor' ? 1 : FLOOR_UNDER_INTERPRETATION);
      }
    }
  }, [participants, channel]);
  return null;
}
