"""The demo centre's own pages (about, contact, privacy, terms) in English and Italian.

The privacy notice describes what this forum really keeps (docs/security.md and the
models); the data controller's name and address are settings shown above it
(PRIVACY_CONTROLLER_NAME, PRIVACY_CONTROLLER_EMAIL), not part of the text. The demo's
people, organisations and addresses are fictional, like the rest of the demo.
"""

from __future__ import annotations

from forum.models import CentrePage, User
from forum.services import centre_pages
from forum.services.centre_pages import PageDraft

ABOUT_EN = """\
The Clinical Trials Competence Centre of Lombardy is a virtual competence centre on technology transfer and clinical trials of medical devices. It was set up under the region's action plan for its medtech cluster (Interreg project Medtech4Europe, signed in March 2021) by the regional government with the region's life-science cluster, research hospitals, universities, research organisations and medtech companies.

### The problem it addresses

Medtech SMEs, start-ups and research organisations find it hard to design clinical studies and to reach the clinics that could run them. Researchers, universities, companies, clinicians and policy makers rarely work together, so promising devices stall before they reach patients.

### The board of experts

The centre's core is a board of experts from research, universities, clinical practice, SMEs and regulatory affairs. They answer questions individually, or together as a board answer that at least three experts from two different areas endorse before the chair publishes it. Each expert's area and dated declaration of interests are on [their profile](/experts). The board also counsels projects funded by the region's research and innovation programme (ERDF, Axis I), so that their results reach clinical practice.

### What the centre does

- **This forum**: ask a question about a clinical investigation, publicly or confidentially; [the questions](/questions) and their answers stay for others to read.
- **Clinical populations and clinics**: the board helps identify the populations in which a device should be tested and puts companies in contact with [clinics](/clinics) willing to help run the study.
- **The requirements guide**: the board's [document of the scientific and legislative requirements](/guide) of a sound clinical investigation, with its most critical points and practical hints, released in versions.
- **The [FAQ](/faq)**: the answers most often needed, reviewed every year.
- **Feedback**: a survey of the forum's users and a six-month review of visits, questions and clinical trials facilitated.
"""

ABOUT_IT = """\
Il Centro di competenza sulle sperimentazioni cliniche della Lombardia è un centro di competenza virtuale sul trasferimento tecnologico e sulle sperimentazioni cliniche dei dispositivi medici. È nato dal piano d'azione regionale per il cluster medtech (progetto Interreg Medtech4Europe, firmato nel marzo 2021) per iniziativa della Regione con il cluster regionale delle scienze della vita, gli IRCCS, le università, gli enti di ricerca e le imprese medtech.

### Il problema che affronta

PMI, start-up ed enti di ricerca del medtech faticano a progettare studi clinici e a raggiungere le strutture cliniche che potrebbero condurli. Ricercatori, università, imprese, clinici e decisori pubblici lavorano raramente insieme, e dispositivi promettenti si fermano prima di arrivare ai pazienti.

### Il comitato di esperti

Il cuore del centro è un comitato di esperti della ricerca, dell'università, della pratica clinica, delle PMI e degli affari regolatori. Rispondono alle domande singolarmente, oppure insieme con una risposta del comitato, che almeno tre esperti di due aree diverse approvano prima che il presidente la pubblichi. L'area di ogni esperto e la sua dichiarazione di interessi, datata, sono sul [suo profilo](/experts). Il comitato affianca inoltre i progetti finanziati dal programma regionale di ricerca e innovazione (FESR, Asse I), perché i loro risultati arrivino alla pratica clinica.

### Che cosa fa il centro

- **Questo forum**: fai una domanda su un'indagine clinica, in forma pubblica o riservata; [le domande](/questions) e le risposte restano a disposizione di tutti.
- **Popolazioni cliniche e strutture**: il comitato aiuta a individuare le popolazioni su cui provare un dispositivo e mette in contatto le imprese con le [strutture cliniche](/clinics) disposte a condurre lo studio.
- **La guida ai requisiti**: il [documento dei requisiti scientifici e normativi](/guide) di un'indagine clinica ben fatta, con i punti più critici e i consigli pratici, pubblicato in versioni.
- **Le [FAQ](/faq)**: le risposte richieste più spesso, riviste ogni anno.
- **Il riscontro**: un questionario per chi usa il forum e una revisione semestrale di visite, domande e sperimentazioni cliniche facilitate.
"""

CONTACT_EN = """\
### Questions about a clinical investigation

[Ask them on the forum](/questions/ask): the board's experts answer there, and others with the same question can read the answer. If your device or your data must stay private, choose **confidential**: only you, the experts and the centre's admins see the question and its answers.

### Referral to a clinic

Ask your question on the forum and say that you are looking for a clinic; an expert can refer it to one of the [region's clinics](/clinics) and you follow each step under *Referrals* once you are logged in.

### The centre

For anything else (partnerships, the board, the forum itself) write to the centre's secretariat at [info@ctcc.example](mailto:info@ctcc.example).

### Your personal data

To exercise your rights, or for any question about your data, write to the data controller's address shown at the top of the [privacy notice](/privacy). You can also download your data or delete your account yourself on your [account page](/account).
"""

CONTACT_EN_OFFICE_HOURS = """
### Office hours

The secretariat answers e-mail on working days; allow two working days for a reply.
"""

CONTACT_IT = """\
### Domande su un'indagine clinica

[Falle sul forum](/questions/ask): lì rispondono gli esperti del comitato, e chi ha la stessa domanda può leggerne la risposta. Se il dispositivo o i dati devono restare riservati, scegli **riservata**: solo tu, gli esperti e gli amministratori del centro vedete la domanda e le sue risposte.

### Contatto con una struttura clinica

Fai la tua domanda sul forum e scrivi che cerchi una struttura clinica: un esperto può segnalarla a una delle [strutture della regione](/clinics), e dopo l'accesso segui ogni passo alla voce *Segnalazioni*.

### Il centro

Per tutto il resto (collaborazioni, il comitato, il forum stesso) scrivi alla segreteria del centro all'indirizzo [info@ctcc.example](mailto:info@ctcc.example).

### I tuoi dati personali

Per esercitare i tuoi diritti, o per qualsiasi domanda sui tuoi dati, scrivi all'indirizzo del titolare del trattamento indicato in cima all'[informativa privacy](/privacy). Puoi anche scaricare i tuoi dati o cancellare il tuo account da solo, nella [pagina del tuo account](/account).
"""

PRIVACY_EN = """\
This notice says which personal data the forum keeps, why, for how long, who sees them and what you can do about it. The data controller is named at the top of this page; write to the address shown there for any request.

### What we keep, and why

- **Your account**: your name, e-mail address, organisation and its kind, your role (member, expert or admin), the language you use, when you registered, and which version of this notice you accepted and when. Your password is kept only as a scrypt hash, never as you typed it. We need these to let you log in, to show who asked and who answered, and to write to you.
- **What you write**: questions (public or confidential), answers, comments, every earlier version of them, and the answers you mark as helpful. A confidential question, its answers and comments are seen only by you, the experts and the centre's admins.
- **Experts**: the public profile (area, biography, followed topics), the dated declaration of interests shown beside each answer, and each endorsement or dissent on a board answer.
- **Notifications and e-mail**: the notices shown in the forum, your choices of which e-mails to receive, and the e-mails themselves (address, subject and text), which wait in an outbox until they are sent and stay there as a record of delivery. A confidential question's title never goes into an e-mail.
- **Referrals to clinics**: when an expert refers your question to a clinic, each step with its date and note.
- **Flags and moderation**: the flags you raise on a text (the reason, your note, when), which only the moderators see, and the moderators' decisions on your texts (hidden, marked as spam, removed, a question locked) with their reason, which you are told. Your flags are in the download of your data.
- **The survey**: your answers are linked to your account, or to a one-time link of which we keep only a hash, so that nobody answers twice; you choose whether your written answers may be quoted. The six-month review holds only counts and shares, and the quoted answers with e-mail addresses and phone numbers removed.
- **API tokens**: their name, a hash of the secret, and when each was created and last used.
- **The audit log**: who did what and when for the board's work, the curation of the FAQ and the guide, referrals, changes to accounts by admins, and password changes, account deletions and API tokens.

### Visits, cookies and logs

- **Visit counting** uses no cookie and no third party, and stores no IP address or browser identifier. Page views are counted per day and per section; to count a visitor once a day, the server keeps a hash of the IP address and browser made with a secret that changes every day. The secret and the hashes are deleted once the day is over, so a visitor cannot be recognised afterwards and only the day's totals remain.
- **Cookies**: one session cookie, needed to keep you logged in and to protect forms (and, if you choose a language without logging in, to remember it), and a "remember me" cookie only if you tick that box. No advertising, analytics or third-party cookies.
- **Security**: to stop abuse, logins, registrations and posts are counted per IP address (posts per account once you are logged in) for at most an hour, in the server's memory or its Redis store, then forgotten; the web server's access log (IP address, page, time) is kept by the centre's server administrators to keep the service secure.

### Legal basis

We process your account and what you write to provide the forum you registered for (GDPR Art. 6(1)(b)); the audit log, the security measures and the visit figures serve the centre's legitimate interest in running a secure and accountable service and in reporting its results to the region (Art. 6(1)(f)). Answering the survey is voluntary.

### Who receives the data

Public questions and answers are public. The centre's experts and admins see confidential questions. E-mails go through the centre's mail server. The forum runs on servers chosen by the centre, in the European Union; we sell nothing and share nothing with advertisers. The region receives only the six-month review's aggregate figures.

### How long

Your data stay as long as your account. When you delete your account, your name, e-mail address, organisation, profile, notifications, e-mails and API tokens are erased; the questions, answers and comments others rely on stay under "Former member" with no link to you, the text of your confidential questions is erased, and your survey answers stay in the figures without a name. Backups are overwritten after 30 days.

### Your rights

On your [account page](/account) you can download everything the forum holds about you and delete your account at any time. You may also ask the controller to access, correct or erase your data, to restrict or object to its processing, or to receive it in a portable form (GDPR Articles 15 to 22), and you may complain to the Italian data protection authority, the [Garante per la protezione dei dati personali](https://www.garanteprivacy.it).

### Changes to this notice

Each version is numbered and dated, and [every earlier text](/privacy/history) stays readable. When a change concerns what we keep or why, you are asked to read and accept the new version at your next login.
"""

PRIVACY_IT = """\
Questa informativa spiega quali dati personali conserva il forum, perché, per quanto tempo, chi li vede e che cosa puoi fare. Il titolare del trattamento è indicato in cima a questa pagina: scrivi all'indirizzo lì riportato per ogni richiesta.

### Che cosa conserviamo, e perché

- **Il tuo account**: nome, indirizzo e-mail, organizzazione e suo tipo, il tuo ruolo (membro, esperto o amministratore), la lingua che usi, la data di registrazione, e quale versione di questa informativa hai accettato e quando. La password è conservata solo come hash scrypt, mai come l'hai digitata. Ci servono per farti accedere, per mostrare chi ha chiesto e chi ha risposto, e per scriverti.
- **Quello che scrivi**: domande (pubbliche o riservate), risposte, commenti, ogni loro versione precedente, e le risposte che segni come utili. Una domanda riservata, con le sue risposte e i suoi commenti, la vedono solo tu, gli esperti e gli amministratori del centro.
- **Gli esperti**: il profilo pubblico (area, biografia, argomenti seguiti), la dichiarazione di interessi datata mostrata accanto a ogni risposta, e ogni approvazione o dissenso su una risposta del comitato.
- **Notifiche ed e-mail**: gli avvisi mostrati nel forum, le tue scelte su quali e-mail ricevere, e le e-mail stesse (indirizzo, oggetto e testo), che attendono in una coda d'invio finché non partono e vi restano come prova della consegna. Il titolo di una domanda riservata non entra mai in un'e-mail.
- **Segnalazioni alle strutture cliniche**: quando un esperto segnala la tua domanda a una struttura, ogni passo con la sua data e la sua nota.
- **Segnalazioni ai moderatori e moderazione**: le segnalazioni che fai su un testo (il motivo, la tua nota, quando), che vedono solo i moderatori, e le decisioni dei moderatori sui tuoi testi (nascosti, segnati come spam, rimossi, una domanda bloccata) con il loro motivo, che ti viene comunicato. Le tue segnalazioni sono nel download dei tuoi dati.
- **Il questionario**: le tue risposte sono legate al tuo account, oppure a un link monouso di cui conserviamo solo un hash, perché nessuno risponda due volte; scegli tu se le tue risposte scritte possono essere citate. La revisione semestrale contiene solo conteggi e percentuali, e le risposte citate senza indirizzi e-mail né numeri di telefono.
- **I token API**: il loro nome, un hash del segreto, e quando ciascuno è stato creato e usato l'ultima volta.
- **Il registro delle attività**: chi ha fatto che cosa e quando nel lavoro del comitato, nella cura delle FAQ e della guida, nelle segnalazioni, nelle modifiche agli account da parte degli amministratori, e per i cambi di password, le cancellazioni di account e i token API.

### Visite, cookie e log

- **Il conteggio delle visite** non usa cookie né terze parti, e non conserva indirizzi IP né identificativi del browser. Le pagine viste sono contate per giorno e per sezione; per contare un visitatore una sola volta al giorno il server conserva un hash dell'indirizzo IP e del browser calcolato con un segreto che cambia ogni giorno. Il segreto e gli hash sono cancellati a fine giornata: dopo, un visitatore non è più riconoscibile e restano solo i totali del giorno.
- **Cookie**: un cookie di sessione, necessario per mantenerti collegato e per proteggere i moduli (e, se scegli una lingua senza accedere, per ricordarla), e un cookie "ricordami" solo se spunti quella casella. Nessun cookie pubblicitario, di analisi o di terze parti.
- **Sicurezza**: per impedire gli abusi, accessi, registrazioni e messaggi sono contati per indirizzo IP (i messaggi per account, dopo l'accesso) per un'ora al massimo, nella memoria del server o nel suo archivio Redis, poi dimenticati; il log degli accessi del server web (indirizzo IP, pagina, ora) è conservato dagli amministratori dei server del centro per la sicurezza del servizio.

### Base giuridica

Trattiamo il tuo account e quello che scrivi per fornirti il forum a cui ti sei registrato (art. 6, par. 1, lett. b del GDPR); il registro delle attività, le misure di sicurezza e i dati sulle visite servono al legittimo interesse del centro a gestire un servizio sicuro e verificabile e a rendere conto dei risultati alla Regione (art. 6, par. 1, lett. f). Rispondere al questionario è facoltativo.

### Chi riceve i dati

Domande e risposte pubbliche sono pubbliche. Gli esperti e gli amministratori del centro vedono le domande riservate. Le e-mail passano dal server di posta del centro. Il forum gira su server scelti dal centro, nell'Unione europea; non vendiamo nulla e non condividiamo nulla con inserzionisti. La Regione riceve solo i dati aggregati della revisione semestrale.

### Per quanto tempo

I tuoi dati restano finché resta il tuo account. Quando lo cancelli, nome, indirizzo e-mail, organizzazione, profilo, notifiche, e-mail e token API sono eliminati; le domande, le risposte e i commenti su cui altri contano restano come "Ex iscritto" senza alcun legame con te, il testo delle tue domande riservate è cancellato, e le tue risposte al questionario restano nei conteggi senza nome. Le copie di sicurezza sono sovrascritte dopo 30 giorni.

### I tuoi diritti

Nella [pagina del tuo account](/account) puoi scaricare tutto ciò che il forum conserva su di te e cancellare il tuo account in qualsiasi momento. Puoi anche chiedere al titolare di accedere ai tuoi dati, correggerli o cancellarli, di limitarne il trattamento o di opporti, o di riceverli in un formato portabile (articoli da 15 a 22 del GDPR), e puoi presentare reclamo al [Garante per la protezione dei dati personali](https://www.garanteprivacy.it).

### Modifiche a questa informativa

Ogni versione è numerata e datata, e [ogni testo precedente](/privacy/history) resta leggibile. Quando una modifica riguarda che cosa conserviamo o perché, ti chiediamo di leggere e accettare la nuova versione al tuo accesso successivo.
"""

TERMS_EN = """\
These terms apply to everyone who uses the forum of the Clinical Trials Competence Centre. By registering you accept them.

### Your account

An account is personal: one per person, in your own name and with your real organisation. Keep your password to yourself; you are responsible for what is done with your account and your API tokens.

### Answers are guidance, not legal advice

The experts answer in good faith from their experience. An answer, a board answer, the FAQ and the requirements guide are not legal or regulatory advice and do not bind the competent authorities, ethics committees or notified bodies: check binding requirements with them.

### What you may post

- Questions and answers about clinical investigations of medical devices, written with courtesy.
- No personal data of patients or study participants, and no health data of anyone who could be identified.
- No information you are not entitled to share, such as another company's confidential documents.
- No advertising, and nothing unlawful.

Choose **confidential** when your question reveals an unreleased device or confidential plans: only you, the experts and the centre's admins will see it.

### What the centre may do with it

You keep the rights to what you write. You allow the centre to show it on the forum and to rewrite it, anonymised where the question was confidential, for the FAQ and the requirements guide. The centre's admins may edit or withdraw content that breaks these terms and may deactivate an account that abuses the forum; every such action is recorded.

### The service

The forum is offered free of charge, as it is, without any guarantee that it is always available. You can delete your account at any time on your account page.

### Changes

When these terms change, the new text is dated here and [every earlier text](/terms/history) stays readable. Italian law applies.
"""

TERMS_IT = """\
Queste condizioni valgono per chiunque usi il forum del Centro di competenza sulle sperimentazioni cliniche. Registrandoti le accetti.

### Il tuo account

Un account è personale: uno per persona, a tuo nome e con la tua vera organizzazione. Tieni per te la password; sei responsabile di ciò che si fa con il tuo account e con i tuoi token API.

### Le risposte sono orientamenti, non consulenza legale

Gli esperti rispondono in buona fede in base alla loro esperienza. Una risposta, una risposta del comitato, le FAQ e la guida ai requisiti non sono consulenza legale o regolatoria e non vincolano le autorità competenti, i comitati etici o gli organismi notificati: verifica con loro i requisiti vincolanti.

### Che cosa puoi pubblicare

- Domande e risposte sulle indagini cliniche dei dispositivi medici, scritte con cortesia.
- Nessun dato personale di pazienti o partecipanti agli studi, e nessun dato sanitario di persone identificabili.
- Nessuna informazione che non hai il diritto di condividere, come i documenti riservati di un'altra impresa.
- Niente pubblicità, e niente di illecito.

Scegli **riservata** quando la domanda rivela un dispositivo non ancora presentato o piani riservati: la vedranno solo tu, gli esperti e gli amministratori del centro.

### Che cosa può farne il centro

I diritti su ciò che scrivi restano tuoi. Consenti al centro di mostrarlo sul forum e di riscriverlo, in forma anonima se la domanda era riservata, per le FAQ e la guida ai requisiti. Gli amministratori del centro possono modificare o ritirare i contenuti che violano queste condizioni e disattivare un account che abusa del forum; ogni azione di questo tipo è registrata.

### Il servizio

Il forum è offerto gratuitamente, così com'è, senza garanzia che sia sempre disponibile. Puoi cancellare il tuo account in qualsiasi momento dalla pagina del tuo account.

### Modifiche

Quando queste condizioni cambiano, il nuovo testo è datato qui e [ogni testo precedente](/terms/history) resta leggibile. Si applica la legge italiana.
"""

DEMO_PAGES = {
    CentrePage.ABOUT: PageDraft("About the centre", ABOUT_EN, "Chi siamo", ABOUT_IT),
    CentrePage.CONTACT: PageDraft("Contact", CONTACT_EN, "Contatti", CONTACT_IT),
    CentrePage.PRIVACY: PageDraft("Privacy notice", PRIVACY_EN, "Informativa privacy", PRIVACY_IT),
}


def seed_centre_pages(admin: User) -> int:
    """Write whichever of the four pages is missing; return how many were written.

    The terms are written in two revisions, English first and the Italian translation
    after, so the demo has a history to read. Every demo account is recorded as having
    accepted the privacy notice (they existed before it).
    """
    written = 0
    for page, draft in DEMO_PAGES.items():
        if centre_pages.current(page) is None:
            centre_pages.save(page, admin, draft, base_number=0)
            written += 1
    if centre_pages.current(CentrePage.TERMS) is None:
        centre_pages.save(
            CentrePage.TERMS,
            admin,
            PageDraft("Terms of use", TERMS_EN, note="First text, in English"),
            base_number=0,
        )
        centre_pages.save(
            CentrePage.TERMS,
            admin,
            PageDraft(
                "Terms of use", TERMS_EN, "Condizioni d'uso", TERMS_IT, note="Italian translation"
            ),
            base_number=1,
        )
        written += 1
    contact = centre_pages.current(CentrePage.CONTACT)
    if contact is not None and contact.number == 1:
        # The English gains a paragraph the Italian does not have yet: Italian readers
        # see the dated "outdated" notice, and the edit page the English diff.
        centre_pages.save(
            CentrePage.CONTACT,
            admin,
            PageDraft(
                "Contact",
                CONTACT_EN + CONTACT_EN_OFFICE_HOURS,
                "Contatti",
                CONTACT_IT,
                note="Office hours added (English first)",
            ),
            base_number=1,
        )
    centre_pages.mark_everyone_accepted(centre_pages.current_privacy_version())
    return written
