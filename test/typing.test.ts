import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { loadCatalog } from '../src/core/knowledge/catalog';
import { translator } from '../src/core/knowledge/locales';
import { buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, installInTeam, post, startApp, stopApp, teamsMessage } from './helpers/http';
import { genericErrorStart } from './helpers/storage';

const TEAM = '19:helpdesk-team@thread.tacv2';

/** What a person types at each prompt, in their language: never a button. */
const TYPED: Record<
  string,
  {
    first: string;
    choice: string;
    answers: Record<string, string>;
    notFixed: string;
    yes: string;
    description: string;
    start: string;
    fixed: string;
    rating: string;
    thanks: string;
  }
> = {
  en: {
    first: 'Profile Installation Failed',
    choice: 'the server one',
    answers: {
      'error-location': 'in the company portal app',
      started: 'it worked before',
      platform: 'an iPhone',
      'devices-affected': 'only this one',
      'enrollment-method': "it's my personal phone",
      'error-message': 'Profile Installation Failed',
    },
    notFixed: "didn't work",
    yes: 'yes please',
    description: 'It is my own phone, I need my mail by Monday',
    start: 'my iPad says Device Cap Reached',
    fixed: 'that worked!',
    rating: '4 stars',
    thanks: 'thanks!',
  },
  es: {
    first: 'Profile Installation Failed',
    choice: 'el del servidor',
    answers: {
      'error-location': 'en la app portal de empresa',
      started: 'hace dos dias iba bien',
      platform: 'un iPhone',
      'devices-affected': 'solo este',
      'enrollment-method': 'es mi movil personal',
      'error-message': 'Profile Installation Failed',
    },
    notFixed: 'sigue igual',
    yes: 'sí, porfa',
    description: 'Es mi móvil personal, necesito el correo el lunes',
    start: 'mi iPad dice que se alcanzó el límite de dispositivos',
    fixed: 'ya funciona!',
    rating: 'cuatro estrellas',
    thanks: '¡gracias!',
  },
  it: {
    first: 'Profile Installation Failed',
    choice: 'quello del server',
    answers: {
      'error-location': "nell'app portale aziendale",
      started: 'funzionava fino a ieri',
      platform: 'iPhone',
      'devices-affected': 'solo questo',
      'enrollment-method': 'è il mio telefono personale',
      'error-message': 'Profile Installation Failed',
    },
    notFixed: 'non ha funzionato',
    yes: 'sì grazie',
    description: 'È il mio telefono personale, mi serve la posta entro lunedì',
    start: 'il mio iPad dice che è stato raggiunto il limite di dispositivi',
    fixed: 'funziona!',
    rating: 'quattro stelle',
    thanks: 'grazie!',
  },
};

const has = (action: string) => (a: Partial<Activity>) =>
  buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);
/** A cause card: its buttons (outcomes, or the handoff of a cause only IT can fix) name the cause. */
const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');

describe.each(['en', 'es', 'it'])('typing only, no button, in %s', (locale) => {
  const connector = new FakeConnector();
  const tr = translator(locale);
  const typed = TYPED[locale]!;
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  /** One user of this locale: sends text, returns the bot's replies, and checks none is the generic failure. */
  const chat = (url: string, conversation: string) => {
    const seen: string[] = [];
    const say = async (text: string): Promise<Partial<Activity>[]> => {
      expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, `${locale}-XX`, { text }))).status).toBe(200);
      const mine = connector.takeFrom(conversation);
      for (const a of mine) {
        seen.push(visibleText(a));
        expect(visibleText(a)).not.toContain(genericErrorStart(locale));
      }
      return mine;
    };
    return { say, seen };
  };

  /** Answers each question by typing, until something else than a question comes. */
  async function answerQuestions(
    say: (t: string) => Promise<Partial<Activity>[]>,
    replies: Partial<Activity>[],
  ): Promise<Partial<Activity>[]> {
    for (let i = 0; i < 10; i++) {
      const question = replies.find(has('answer'));
      if (!question) return replies;
      const id = (buttons(question)[0]!.data as { question: string }).question;
      replies = await say(typed.answers[id] ?? tr(`knowledge:questions.${id}.answers.dontknow`));
      // A typed answer from the table is understood the first time: no re-ask.
      expect(replies.map(visibleText).join('\n')).not.toContain(tr('questions.reask', { answers: '' }).split(':')[0]!);
    }
    throw new Error('too many questions');
  }

  it('from the first message to a ticket in the helpdesk channel', async () => {
    const { app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM }, { deliveryMs: 50 });
    expect((await post(`${url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
    const { say } = chat(url, `typed-ticket-${locale}`);

    let replies = await say(typed.first);
    expect(visibleText(replies.find(has('choose-symptom')))).toContain(tr('recognize.didYouMeanTitle'));
    // The did-you-mean card answered in words: the server one.
    replies = await say(typed.choice);
    expect(visibleText(replies[0])).toContain(tr('knowledge:symptoms.server-connection-failed.title'));
    replies = await answerQuestions(say, replies);
    // Every cause card (the employee's own fixes, then those only IT can fix, whose buttons hand over instead) gets a
    // typed "didn't help".
    for (let i = 0; i < 10 && replies.some(isCauseCard); i++) replies = await say(typed.notFixed);
    // The last fix failed: said so, with the offer of a person in the same reply.
    expect(replies.map(visibleText).join('\n')).toContain(tr('cause.lastFixFailed'));
    expect(replies.map(visibleText).join('\n')).not.toContain(tr('cause.nextCause'));
    replies = await say(typed.yes);
    expect(visibleText(replies[0])).toContain(tr('escalation.describe'));
    replies = await answerQuestions(say, await say(typed.description));
    const created = replies.find((a) => /IOS-\d+/.test(a.text ?? ''));
    expect(created).toBeDefined();
    const id = /IOS-\d+/.exec(created!.text!)![0];

    const thread = await eventually(() =>
      connector.created.find((c) => cardToText((c.params.activity as Partial<Activity>).attachments![0]!.content).text.includes(id)),
    );
    const card = cardToText((thread.params.activity as Partial<Activity>).attachments![0]!.content).text;
    expect(card).toContain(typed.description);
    const ticket = (await app.runtime.escalation.tickets.get(id))!;
    expect(ticket.record.symptom).toBe('server-connection-failed');
    expect(ticket.record.personRequested?.reason).toBe('all-causes-tried');
    expect(ticket.record.attempts.every((a) => a.outcome === 'not-fixed')).toBe(true);
    expect(ticket.record.answers['enrollment-method']?.value).toBe('company-portal');
    // All eight prerequisite facts travel with the ticket, answered or inferred.
    expect(Object.keys(ticket.record.answers).sort()).toEqual(
      loadCatalog()
        .questions.map((q) => q.id)
        .sort(),
    );
    await stopApp(app);
  });

  it('from the first message to "fixed" and the rating; thanks then gets a short close, never the offer of a person', async () => {
    const { app, url } = await startApp({});
    const { say } = chat(url, `typed-fixed-${locale}`);
    let replies = await say(typed.start);
    expect(visibleText(replies[0])).toContain(tr('knowledge:symptoms.device-cap-reached.title'));
    replies = await answerQuestions(say, replies);
    expect(replies.some(has('outcome'))).toBe(true);
    replies = await say(typed.fixed);
    expect(replies.map(visibleText).join('\n')).toContain(tr('outcome.rateTitle'));
    replies = await say(typed.rating);
    expect(visibleText(replies[0])).toContain(tr('outcome.rated'));
    replies = await say(typed.thanks);
    expect(replies).toHaveLength(1);
    expect(replies.some(has('person'))).toBe(false);
    expect(visibleText(replies[0])).toBe(tr('smallTalk.thanks'));
    await stopApp(app);
  });

  it('a question naming the device error is that problem, not a command; a greeting phrased as a question is a greeting', async () => {
    const { app, url } = await startApp({});
    const { say } = chat(url, `typed-error-question-${locale}`);
    const asks: Record<string, string> = {
      en: 'what do I do about NoEnrollmentPolicy',
      es: 'qué hago con NoEnrollmentPolicy',
      it: 'cosa faccio con NoEnrollmentPolicy?',
    };
    const replies = await say(asks[locale]!);
    expect(visibleText(replies[0])).toContain(tr('knowledge:symptoms.noenrollmentpolicy.title'));
    const greetings: Record<string, string> = { en: 'how are you?', es: 'qué tal', it: 'come va?' };
    const hello = await say(greetings[locale]!);
    expect(visibleText(hello[0])).not.toContain(tr('help.title'));
    await stopApp(app);
  });
});
