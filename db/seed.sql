-- Seed data: the directory's first dataset.
--
-- Built from /work/shared/content/DIRECTORY-FACTS.md (organisations, contact
-- facts, taxonomy) and the Derby and Derbyshire Safeguarding Children
-- Partnership's "Online Abuse" page (shared/content/online-abuse-guidance.txt),
-- whose explanatory passages are the topic guidance. Run once by the server,
-- inside its own transaction, after the migrations.
--
-- Rules kept here: every phone number, email address and URL comes from
-- DIRECTORY-FACTS.md; opening hours are never given (NULL: not known); records
-- start with last_reviewed NULL so the stale-entries report lists them for a
-- curator. The UUIDs are fixed forever: never regenerate them.

INSERT INTO meta (key, value) VALUES ('seed', 'DIRECTORY-FACTS 2026-11');

-- Audiences, in display order.
INSERT INTO audience (id, slug, label, description, position) VALUES
  ('42367922-a6ef-4789-83b0-32562f738e15', 'children', 'Children',
   'Children who use the internet, phones, games and social media.', 1),
  ('0ac26d6e-b9e1-4685-99b6-94a98a65b3d7', 'young-people', 'Young people',
   'Teenagers and young people who want help or advice about staying safe online.', 2),
  ('6c5121a0-1a83-4355-99fd-338cf40a0e43', 'parents', 'Parents and carers',
   'Parents, carers and families who want to help keep a child safe online.', 3),
  ('51bb5832-8317-40f1-95dc-d443457c5062', 'professionals', 'Professionals',
   'People who work with children, including teachers and schools, social care, police and health, and the senior person responsible for safeguarding in an organisation.', 4),
  ('7520cb4a-618e-498a-91c9-536c59bfd717', 'deaf-young-people', 'Deaf young people and their families',
   'Deaf young people and their parents, carers and teachers.', 5),
  ('1b11a4c8-0751-4533-81c2-1502fd12d84a', 'worried-adults', 'Adults worried about thoughts or behaviour',
   'Adults who are worried about their own or someone else''s thoughts or behaviour.', 6);

-- Topics, in display order (depth first: a parent, then its sub-topics).
-- guidance_md is Markdown from the source page's explanatory passages.
INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('88baed26-89fa-47b1-9ce8-38e921cab328', 'online-abuse', 'Online abuse',
   'What online abuse is, the forms it takes and what the law says.',
   NULL, 1,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Child abuse in all its forms is increasingly happening online. The internet, and everything on it, can be reached through a growing range of devices, including computers, laptops, mobile and smart phones, tablets and games consoles.

## Forms of online abuse

- **Grooming.** Chat rooms and social networking sites can be used to contact children in order to groom them for inappropriate or abusive relationships.
- **Child sexual abuse images.** The internet has become a significant tool in the distribution of child abuse images.
- **Cyberbullying.** Children can bully, or be bullied, using texts, phones or social network sites.
- **Sharing nudes ("sexting").** Young people may share sexual photos or videos that they, or another young person, have made themselves.
- **Child exploitation.** Children can be persuaded, coerced or forced into sexual or criminal activity. This does not always involve physical contact and may happen online.

## What the law says

- The Serious Crime Act 2015 introduced an offence of sexual communication with a child. It applies to an adult who communicates with a child, where the communication is sexual or is intended to elicit from the child a communication which is sexual, and the adult reasonably believes the child to be under 16 years of age. The Act also amended the Sexual Offences Act 2003, so that it is now an offence for an adult to arrange to meet someone under 16, for the purpose of committing a relevant offence, having communicated with them on just one occasion.
- It is a crime to take, make, permit to take, distribute, show, possess, possess with intent to distribute, or advertise indecent photographs or pseudo-photographs of anyone under 18. This includes images that young people make of themselves.
- Harassment using phones, computers or the internet (ICT) is a criminal offence.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('c85b80d5-558d-48d7-a7e5-89f383eb6e80', 'grooming', 'Online grooming',
   'Contacting children online to groom them for inappropriate or abusive relationships, and the offence of sexual communication with a child.',
   (SELECT pk FROM topic WHERE slug = 'online-abuse'), 2,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Chat rooms and social networking sites can be used to contact children in order to groom them for inappropriate or abusive relationships. This may include asking a child to make and send indecent images of themselves, to perform sexual acts live online, or to give their mobile phone number and other personal information.

## What the law says

The Serious Crime Act 2015 introduced an offence of sexual communication with a child. It applies to an adult who communicates with a child, where the communication is sexual or is intended to elicit from the child a communication which is sexual, and the adult reasonably believes the child to be under 16 years of age.

The Act also amended the Sexual Offences Act 2003. It is now an offence for an adult to arrange to meet someone under 16, for the purpose of committing a relevant offence, having communicated with them on just one occasion.

The Derby and Derbyshire Safeguarding Children Partnership has published a briefing note on the offence of sexual communication with a child.

## Reporting grooming

You can report online sexual abuse or grooming to CEOP, part of the National Crime Agency, through the CEOP Safety Centre: <https://www.ceop.police.uk/Safety-Centre/>

CEOP''s Thinkuknow resources help children and young people keep themselves safe from sexual abuse and exploitation, and help parents, carers and professionals support them: <https://www.thinkuknow.co.uk>

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('e62a294d-f450-4d27-8f8b-8e112ff92975', 'child-sexual-abuse-images', 'Child sexual abuse images',
   'Making, sharing and reporting sexual images of children, and what the law says.',
   (SELECT pk FROM topic WHERE slug = 'online-abuse'), 3,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'The internet has become a significant tool in the distribution of child abuse images. People who groom children online may ask them to make and send indecent images of themselves.

## What the law says

It is a crime to take, make, permit to take, distribute, show, possess, possess with intent to distribute, or advertise indecent photographs or pseudo-photographs of anyone under 18. This includes images that young people make of themselves.

## Reporting images

- The Internet Watch Foundation removes online child sexual abuse imagery. You can report sexual images of children to it anonymously: <https://report.iwf.org.uk>
- If you are under 18 and a nude image or video of you has been shared online, you can report it with Report Remove, run by Childline with the Internet Watch Foundation, so that it can be removed. Report Remove is reached from Childline''s website: <https://www.childline.org.uk>
- You can report online sexual abuse or grooming to CEOP through the CEOP Safety Centre: <https://www.ceop.police.uk/Safety-Centre/>
- The UK Safer Internet Centre has information about reporting online sexual abuse content.

## If you are worried about your own or someone else''s thoughts or behaviour

Stop it Now! UK and Ireland runs a confidential freephone helpline for adults who are worried about their own or someone else''s thoughts or behaviour: 0808 1000 900. Stop it Now! has also made a film to deter people from viewing and sharing sexual images of children.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('294d04e1-ef2a-4ebe-bcd2-f49696d97d8f', 'sharing-nudes', 'Sharing nudes (sexting)',
   'Young people sharing sexual photos or videos that they, or another young person, have made themselves.',
   (SELECT pk FROM topic WHERE slug = 'online-abuse'), 4,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Youth-produced sexual imagery, also known as "sexting" or sharing nudes, is when young people use technology to share sexual photos or videos that they, or another young person, have made themselves. The widespread use of smartphones has made it much more common.

## What the law says

Young people are not always aware that sharing images in this way is illegal.

It is a crime to take, make, permit to take, distribute, show, possess, possess with intent to distribute, or advertise indecent photographs or pseudo-photographs of anyone under 18. This includes images that young people make of themselves.

## Guidance for schools and colleges

The National Police Chiefs'' Council (NPCC), working with a wide range of schools, local authorities, police forces and organisations, including the Disclosure and Barring Service, the Internet Watch Foundation, the UK Council for Child Internet Safety (UKCCIS), the Department for Education and teaching unions, published guidance for schools and education settings in England: *Sexting in Schools and Colleges: responding to incidents and safeguarding young people* (UKCCIS, 2016). It gives practical advice about:

- responding to disclosures
- handling devices and imagery
- risk assessing situations
- involving other agencies, including escalation to the police and Children''s Social Care
- recording incidents
- involving parents
- preventative education

Its successor is the UK Council for Internet Safety''s *Sharing nudes and semi-nudes: advice for education settings working with children and young people*, first published in December 2020.

## Other help

If you are under 18 and a nude image or video of you has been shared online, you can report it with Report Remove, run by Childline with the Internet Watch Foundation, so that it can be removed. Report Remove is reached from Childline''s website: <https://www.childline.org.uk>

The NSPCC''s online safety advice covers sexting, and Childnet International has resources about sexting for children and young people, parents, carers and professionals.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('0fa421bb-3e01-47b1-8579-639f7906e743', 'cyberbullying', 'Cyberbullying',
   'Bullying using texts, phones, social network sites and other technology.',
   (SELECT pk FROM topic WHERE slug = 'online-abuse'), 5,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Children can bully others, or be bullied, using a range of methods, including texts, phones or social network sites. Mobile phone cameras are also used to film violent assaults on other children so that the films can be passed around.

This kind of bullying is a growing problem in schools and other settings. Anyone who works with children and becomes aware of it should take it seriously.

## What the law says

Harassment using phones, computers or the internet (ICT) is a criminal offence. If necessary, concerns should be reported to the police.

## Where to find help

- **Stop, Speak, Support** is a campaign for young people to help tackle cyberbullying. The NSPCC helps to run it.
- **Childnet International** has resources about cyberbullying for children and young people aged 3 to 18, parents, carers and professionals.
- **The Anti-Bullying Alliance** has published research on how being involved in school bullying (as a victim, a bully, or both) affects mental health through adolescence and into adulthood.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('0a4b0fe6-e017-4414-b154-0f0cfc8da16e', 'exploitation', 'Child exploitation',
   'When a child is persuaded, coerced or forced into sexual or criminal activity, which may happen online.',
   (SELECT pk FROM topic WHERE slug = 'online-abuse'), 6,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Child exploitation is a form of child abuse. It happens when anyone under the age of 18 is persuaded, coerced or forced into sexual or criminal activity in exchange for things such as money, drugs or alcohol, gifts, affection or status. Professionals may describe a child in this situation as a Child at Risk of Exploitation (CRE).

Consent is irrelevant, even where a child may believe they are choosing to take part in sexual activity with the person who is exploiting them.

Child exploitation does not always involve physical contact and may happen online.

## Where to find help

CEOP, part of the National Crime Agency, works with child protection partners across the UK and overseas to identify the main threats to children and bring offenders to account. You can report online sexual abuse or grooming through the CEOP Safety Centre: <https://www.ceop.police.uk/Safety-Centre/>

CEOP''s Thinkuknow resources help children and young people keep themselves safe from sexual abuse and exploitation: spotting and avoiding risk, protecting themselves and their friends, and knowing how to get support and report abuse.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('1b12b99f-fd67-43bf-b525-e7c9c90d53f2', 'reporting', 'Reporting online abuse',
   'Where to report online abuse, grooming and sexual images of children.',
   NULL, 7,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Where to report depends on what has happened. If a child is in immediate danger, call 999.

- **Online sexual abuse or grooming:** report it to CEOP through the CEOP Safety Centre: <https://www.ceop.police.uk/Safety-Centre/>
- **Sexual images of children online:** report them anonymously to the Internet Watch Foundation, which removes online child sexual abuse imagery: <https://report.iwf.org.uk>
- **A nude image or video of you that has been shared online, if you are under 18:** report it with Report Remove, run by Childline with the Internet Watch Foundation, so that it can be removed. Report Remove is reached from Childline''s website: <https://www.childline.org.uk>
- **Harassment or bullying using phones or the internet:** harassment by use of ICT is a criminal offence. If necessary, report concerns to the police.
- **Concerns about a child:** young people, parents and carers can contact Children''s Social Care to talk about their concerns.

The UK Safer Internet Centre also has information about reporting online sexual abuse content.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('530bcd74-ce83-4196-919d-d0f3ec17c36d', 'prevention-education', 'Prevention education',
   'Teaching children and young people how to stay safe online, and resources for schools.',
   NULL, 8,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt)',
'Prevention education helps children and young people keep themselves safe online, and helps the adults around them keep up to date.

## Key principles of effective prevention education

The PSHE Association produced *Key principles of effective prevention education* on behalf of, and in partnership with, CEOP. It sets out 11 key principles of effective practice in prevention education, to help PSHE education professionals teach high-quality online safety education as part of their broader PSHE programmes. The principles are based on a review of research into what successful educational programmes have in common, covering hundreds of programmes in the UK and abroad.

## Resources for teaching and learning

- **Thinkuknow** (CEOP): resources for children, young people, parents, carers and professionals.
- **Crossing the Line** (Childnet International): a PSHE toolkit with films and lesson plans for 11 to 14 year olds, quality-assured by the PSHE Association.
- **Be Safe, Be Smart Online** (Childnet International with the National Deaf Children''s Society): helping deaf young people and their parents, carers and teachers stay safe online.
- **UK Safer Internet Centre**: materials for Safer Internet Day, online safety policies and online safety newsletters.
- **NSPCC**: online safety resources for schools.
- **Derbyshire Schools Net**: information and resources for keeping children safe in education.
- **Stop it Now! UK and Ireland**: educates members of the public and trains people who work with children and families, to help prevent child sexual abuse.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('9c9255b8-a334-47ff-a918-c892120ca773', 'parental-controls', 'Parental controls and safety settings',
   'Parental controls, safety features on social networks and family agreements for online use.',
   NULL, 9,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt); DIRECTORY-FACTS.md',
'These organisations give advice on parental controls and safety settings:

- **NSPCC**: online safety advice for parents, including parental controls, online games and how to talk to children about online safety.
- **UK Safer Internet Centre**: information on safety features on social networks, and family agreements for online use.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('09fbcafb-0a22-4a84-a5c3-7138f20ff838', 'wellbeing', 'Self-harm, body image and money',
   'Advice for parents on the warning signs of self-harm, body image and managing money in a digital world.',
   NULL, 10,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt); DIRECTORY-FACTS.md',
'**Parent Info** is an online service from the Department for Education that schools can use to give parents advice and tips on preparing their children for adult life. It covers issues such as spotting the warning signs of self-harm, having a healthy body image and managing money in a digital world. It aims to give parents the confidence to talk to their children about sensitive issues, and points them to where they can get more hands-on support.

**The Anti-Bullying Alliance** has published research on how being involved in school bullying (as a victim, a bully, or both) affects mental health through adolescence and into adulthood.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

INSERT INTO topic (id, slug, label, description, parent_pk, position, source, guidance_md) VALUES
  ('1c9bd54d-d4cd-402f-aaa3-f48a21259363', 'peer-pressure', 'Peer pressure and self-esteem',
   'Resources about peer pressure and self-esteem for children, young people and the adults around them.',
   NULL, 11,
   'Derby and Derbyshire Safeguarding Children Partnership, "Online Abuse" page (shared/content/online-abuse-guidance.txt); DIRECTORY-FACTS.md',
'**Childnet International** has online safety resources about peer pressure and self-esteem for children and young people aged 3 to 18, and for parents, carers and professionals. Its Crossing the Line PSHE toolkit has films and lesson plans for 11 to 14 year olds.

## What to do if you are worried

- **If a child is in immediate danger, call 999.**
- If you are a child or young person, you can talk to Childline on 0800 1111. It is free and confidential for anyone under 19. Childline also offers one-to-one online chat and email through its website: <https://www.childline.org.uk>
- If you are a young person, parent or carer, you can contact Children''s Social Care to talk about your concerns. In Derby and Derbyshire, this is Children''s Social Care at Derby City Council or Derbyshire County Council.
- If you are an adult worried about a child, you can call the NSPCC Helpline on 0808 800 5000 or email help@nspcc.org.uk.
- If you work with children, always discuss your concerns with the senior person in your organisation who is responsible for safeguarding and child protection. The Professionals Online Safety Helpline is on 0344 381 4772.
- If you are concerned about abusive images of children online, or that a child is at risk of online abuse (even if no physical contact has happened), the Derby and Derbyshire Safeguarding Children Procedures have more information.
');

-- Organisations. website: only URLs in DIRECTORY-FACTS.md, else NULL.
-- coverage for national bodies is a curator's call (the facts sheet is silent);
-- last_reviewed is NULL for every record: none has been checked by a person yet.
INSERT INTO organisation (id, slug, name, summary, description, website, kind, coverage, last_reviewed, source) VALUES
  ('badb576d-cc06-4b39-a1a9-3600e5bf3c11', 'ceop', 'CEOP (Child Exploitation and Online Protection)',
   'The National Crime Agency''s command that protects children from sexual abuse and exploitation, where you can report online sexual abuse or grooming.',
   'The National Crime Agency''s CEOP Command (formerly the Child Exploitation and Online Protection Centre) works with child protection partners across the UK and overseas to identify the main threats to children, and coordinates activity against these threats to bring offenders to account. Its Safety Centre is where you can report online sexual abuse or grooming. Through Thinkuknow it provides a large range of resources for children, young people, parents, carers and professionals, designed to help children and young people keep themselves safe from sexual abuse and exploitation: spotting and avoiding risk, protecting themselves and their friends, and knowing how to get support and report abuse.',
   'https://www.ceop.police.uk/Safety-Centre/', 'police', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('8f3e6b72-f8ea-4c13-a3d1-6dadc9d96582', 'nspcc', 'NSPCC',
   'A charity working to prevent child abuse and neglect, with online safety advice and a helpline for adults worried about a child.',
   'The NSPCC has a large range of resources to help prevent child abuse and neglect, including keeping children safe online. Its online safety advice covers online games, sexting, parental controls and talking to children about online safety, and it has online safety resources for schools. It helps to run Stop, Speak, Support, a campaign for young people to help tackle cyberbullying. The NSPCC Helpline is for adults who are worried about a child.',
   'https://www.nspcc.org.uk', 'charity', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('ed75f5c6-1193-4cef-82e4-ede5acc82a3e', 'childline', 'Childline',
   'A free, confidential helpline for children and young people under 19, run by the NSPCC.',
   'Childline is run by the NSPCC. It offers a free, confidential helpline for anyone under 19, as well as one-to-one online chat and email through its website, and has produced a broad range of online and mobile safety resources for children and young people. With the Internet Watch Foundation it runs Report Remove, which lets a young person under 18 report a nude image or video of themselves that has been shared online so that it can be removed; Report Remove is reached from Childline''s website.',
   'https://www.childline.org.uk', 'charity', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('65db0121-1d72-477b-838d-7ad3f7f77127', 'childnet', 'Childnet International',
   'Online safety resources for children and young people aged 3 to 18, and for parents, carers and professionals.',
   'Childnet International provides a broad range of resources for children and young people aged 3 to 18, parents, carers and professionals about online safety, cyberbullying, sexting, peer pressure and self-esteem. It has published Crossing the Line, a PSHE toolkit quality-assured by the PSHE Association, with films and lesson plans for 11 to 14 year olds. With the National Deaf Children''s Society it produced Be Safe, Be Smart Online, to help deaf young people and their parents, carers and teachers stay safe online.',
   'https://www.childnet.com', 'charity', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('0222687d-c9ec-4533-bb1a-60ef55aab52c', 'uk-safer-internet-centre', 'UK Safer Internet Centre',
   'Online safety tips, advice and resources, Safer Internet Day, and a helpline for professionals.',
   'The UK Safer Internet Centre provides online safety tips, advice and resources to help children and young people stay safe on the internet, with a large range of resources for children, young people, parents, carers, teachers and other professionals. These include materials for Safer Internet Day, online safety policies, safety features on social networks, family agreements for online use, reporting online sexual abuse content, online safety newsletters and the Professionals Online Safety Helpline.',
   'https://saferinternet.org.uk', 'partnership', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('bfc5daf1-efaf-4710-9f96-e083f16cf2f3', 'internet-watch-foundation', 'Internet Watch Foundation',
   'Removes online child sexual abuse imagery; anyone can report sexual images of children to it anonymously.',
   'The Internet Watch Foundation removes online child sexual abuse imagery. You can report sexual images of children to it anonymously online. With Childline it runs Report Remove, which lets a young person under 18 report a nude image or video of themselves that has been shared online so that it can be removed; Report Remove is reached from Childline''s website. It was one of the partners in the 2016 national guidance for schools on youth-produced sexual imagery ("sexting").',
   'https://www.iwf.org.uk', 'charity', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('118cd438-5f06-41a1-8c09-7531d4be42c8', 'anti-bullying-alliance', 'Anti-Bullying Alliance',
   'A coalition of organisations and individuals working together to stop bullying.',
   'The Anti-Bullying Alliance (ABA) is a coalition of organisations and individuals who work together to stop bullying and create safer environments in which children and young people can live, grow, play and learn. It has published findings, in the UK and internationally, on how being involved in school bullying (as a victim, a bully, or both) affects mental health through adolescence and into adulthood.',
   'https://anti-bullyingalliance.org.uk', 'partnership', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('66a4db72-b714-428b-b210-03f6f7dfe2b8', 'parent-info', 'Parent Info',
   'A Department for Education online service that schools use to give parents advice on issues their children may face.',
   'Parent Info is an online tool from the Department for Education that schools can use to give parents advice and tips on preparing their children for adult life. It covers issues from spotting the warning signs of self-harm to having a healthy body image and managing money in a digital world. It aims to give parents the confidence to talk to their children about sensitive issues, and points them to where they can get more hands-on support on specific issues.',
   'https://parentinfo.org', 'government', 'England', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('0e9e7a8d-dbd2-4f3f-9ee5-b84d618d4ec8', 'pshe-association', 'PSHE Association',
   'Produced the Key principles of effective prevention education, on behalf of CEOP, for PSHE education professionals.',
   'The PSHE Association produced Key principles of effective prevention education on behalf of, and in partnership with, CEOP. The report sets out 11 key principles of effective practice in prevention education, to help PSHE education professionals teach high-quality online safety education as part of their broader PSHE programmes. The principles are based on a review of research into what successful educational programmes have in common, covering hundreds of programmes in the UK and abroad.',
   'https://pshe-association.org.uk', 'charity', 'England', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('1998c887-a040-4279-a589-8cda1c9cc2d6', 'stop-it-now', 'Stop it Now! UK and Ireland',
   'A child sexual abuse prevention campaign with a confidential freephone helpline for adults worried about their own or someone else''s thoughts or behaviour.',
   'Stop it Now! UK and Ireland is a child sexual abuse prevention campaign run by the Lucy Faithfull Foundation. It supports adults to play their part in prevention by providing sound information, educating members of the public, training those who work with children and families, and running a confidential freephone helpline for adults worried about their own or someone else''s thoughts or behaviour. It has also produced a film to deter people from viewing and sharing sexual images of children.',
   'https://www.stopitnow.org.uk', 'charity', 'UK and Ireland', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('d2bb56d8-d086-4185-994b-16044e1a6bfb', 'lucy-faithfull-foundation', 'Lucy Faithfull Foundation',
   'The child protection charity that runs Stop it Now! UK and Ireland, dedicated to reducing the risk of children being sexually abused.',
   'The Lucy Faithfull Foundation is the only UK-wide child protection charity dedicated solely to reducing the risk of children being sexually abused. It runs Stop it Now! UK and Ireland, a child sexual abuse prevention campaign with a confidential freephone helpline.',
   'https://www.lucyfaithfull.org.uk', 'charity', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('ada80852-6aa5-4e08-b182-30c6d67f10e7', 'national-deaf-childrens-society', 'National Deaf Children''s Society',
   'Worked with Childnet International on Be Safe, Be Smart Online, online safety help for deaf young people and their families.',
   'In partnership with Childnet International, the National Deaf Children''s Society produced Be Safe, Be Smart Online, to help and support deaf young people and their parents, carers and teachers, and to remind them how to stay safe online.',
   'https://www.ndcs.org.uk', 'charity', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('f3cd468f-b839-40d0-b9c4-fb980b8b9d93', 'derby-city-council', 'Derby City Council',
   'The council for Derby, with online safety web pages and Children''s Social Care.',
   'Derby City Council has web pages about online safety. If you are a young person, parent or carer, you can contact its Children''s Social Care to discuss your concerns about a child.',
   'https://www.derby.gov.uk', 'local-authority', 'Derby', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('6a7dbc61-aba5-487f-9b1a-9e6f973103df', 'derbyshire-county-council', 'Derbyshire County Council',
   'The council for Derbyshire, with online safety web pages and Children''s Social Care.',
   'Derbyshire County Council has web pages about online safety. If you are a young person, parent or carer, you can contact its Children''s Social Care to discuss your concerns about a child.',
   'https://www.derbyshire.gov.uk', 'local-authority', 'Derbyshire', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('c88e7338-065e-4cc0-b0ac-e2dd4c421ce4', 'derbyshire-schools-net', 'Derbyshire Schools Net',
   'Information and resources for keeping children safe in education in Derbyshire.',
   'Derbyshire Schools Net has information and a range of resources for keeping children safe in education.',
   NULL, 'other', 'Derbyshire', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('dd8e7bda-79a5-45ab-9607-f3b71e782761', 'ddscp', 'Derby and Derbyshire Safeguarding Children Partnership',
   'The local safeguarding children partnership for Derby and Derbyshire, which publishes the area''s safeguarding children procedures.',
   'The Derby and Derbyshire Safeguarding Children Partnership publishes the Derby and Derbyshire Safeguarding Children Procedures, which have more information for anyone concerned about abusive images of children online or that a child is at risk of online abuse, even if no physical contact has happened. It has also published a briefing note on the offence of sexual communication with a child. Its page on online abuse is the source of the guidance in this directory.',
   NULL, 'partnership', 'Derby and Derbyshire', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('e4d4ce8c-39f2-4ec4-a436-ee5c5e0b2503', 'police', 'Police',
   'Call 999 if a child is in immediate danger; harassment using phones or the internet is a crime that can be reported to the police.',
   'If a child is in immediate danger, call 999. Harassment by use of information and communication technology (ICT), such as phones and the internet, is a criminal offence, and if necessary concerns should be reported to the police.',
   NULL, 'police', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('724eceee-7450-4e40-ab85-e08fa140d2f6', 'ukcis', 'UK Council for Internet Safety (UKCIS)',
   'Publishes national advice for schools and colleges on young people sharing nudes and semi-nudes; formerly the UK Council for Child Internet Safety (UKCCIS).',
   'The UK Council for Internet Safety, formerly the UK Council for Child Internet Safety (UKCCIS), published Sexting in Schools and Colleges: responding to incidents and safeguarding young people (2016), with the National Police Chiefs'' Council and partners. Its successor, Sharing nudes and semi-nudes: advice for education settings working with children and young people, was first published in December 2020.',
   NULL, 'government', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('47de48e2-8a08-4bee-9b21-b5f748708c44', 'npcc', 'National Police Chiefs'' Council (NPCC)',
   'Published, with partners, the 2016 guidance for schools and colleges on responding to "sexting" incidents.',
   'The National Police Chiefs'' Council, working in partnership with a wide range of schools, local authorities, police forces and organisations, including the Disclosure and Barring Service, the Internet Watch Foundation, the UK Council for Child Internet Safety, the Department for Education and teaching unions, published Sexting in Schools and Colleges: responding to incidents and safeguarding young people (2016), guidance for schools and education settings in England.',
   NULL, 'police', 'UK', NULL,
   'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page');

-- Contacts: only the contact facts in DIRECTORY-FACTS.md. hours NULL: not known.
-- An organisation's main website is in organisation.website, not repeated here.
INSERT INTO contact (org_pk, position, kind, label, value, hours) VALUES
  ((SELECT pk FROM organisation WHERE slug = 'police'), 1, 'phone',
   'Emergency: police', '999', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'ceop'), 1, 'report-form',
   'CEOP Safety Centre: report online sexual abuse or grooming', 'https://www.ceop.police.uk/Safety-Centre/', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'ceop'), 2, 'website',
   'Thinkuknow: education resources', 'https://www.thinkuknow.co.uk', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'nspcc'), 1, 'phone',
   'NSPCC Helpline for adults worried about a child', '0808 800 5000', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'nspcc'), 2, 'email',
   'NSPCC Helpline for adults worried about a child', 'help@nspcc.org.uk', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'childline'), 1, 'phone',
   'Childline: free confidential helpline for under-19s', '0800 1111', NULL),
  -- DIRECTORY-FACTS.md: "Childline also offers one-to-one online chat and email
  -- through its website" (https://www.childline.org.uk): no separate address is given.
  ((SELECT pk FROM organisation WHERE slug = 'childline'), 2, 'webchat',
   'Childline: one-to-one online chat and email, through its website', 'https://www.childline.org.uk', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 1, 'phone',
   'Professionals Online Safety Helpline', '0344 381 4772', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 2, 'email',
   'Professionals Online Safety Helpline', 'helpline@saferinternet.org.uk', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'internet-watch-foundation'), 1, 'report-form',
   'Report sexual images of children anonymously', 'https://report.iwf.org.uk', NULL),
  ((SELECT pk FROM organisation WHERE slug = 'stop-it-now'), 1, 'phone',
   'Stop it Now! confidential freephone helpline', '0808 1000 900', NULL);

-- Resources: every resource the source names, and Report Remove, which
-- DIRECTORY-FACTS.md adds. url only where DIRECTORY-FACTS.md gives one for
-- exactly that resource; Report Remove's is the Childline website, which the
-- facts give as the place it is reached from (they give no page of its own).
INSERT INTO resource (id, slug, org_pk, position, name, type, url, summary, age_min, age_max, source) VALUES
  ('14f96d34-cee9-4bed-97d4-0806e09c5979', 'ceop-safety-centre', (SELECT pk FROM organisation WHERE slug = 'ceop'), 1,
   'CEOP Safety Centre', 'reporting-tool', 'https://www.ceop.police.uk/Safety-Centre/',
   'Report online sexual abuse or grooming to CEOP.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('bb3c8c00-6950-4471-a318-ecfaa0bc0235', 'thinkuknow', (SELECT pk FROM organisation WHERE slug = 'ceop'), 2,
   'Thinkuknow', 'education-pack', 'https://www.thinkuknow.co.uk',
   'Resources for children, young people, parents, carers and professionals to help children keep themselves safe from sexual abuse and exploitation.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('2c7129d8-adb1-4e44-9245-5c23cea9ce6b', 'nspcc-online-safety-advice', (SELECT pk FROM organisation WHERE slug = 'nspcc'), 1,
   'NSPCC online safety advice', 'guidance', NULL,
   'Advice on online games, sexting, parental controls and talking to children about online safety, with online safety resources for schools.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('adc4ebef-e5f5-4756-9674-94ce3a9c09cc', 'stop-speak-support', (SELECT pk FROM organisation WHERE slug = 'nspcc'), 2,
   'Stop, Speak, Support', 'campaign', NULL,
   'A campaign for young people to help tackle cyberbullying.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('7e809346-0c82-4410-83ec-a43cad310ab4', 'nspcc-helpline', (SELECT pk FROM organisation WHERE slug = 'nspcc'), 3,
   'NSPCC Helpline', 'helpline', NULL,
   'A helpline for adults who are worried about a child, by phone or email.',
   NULL, NULL, 'DIRECTORY-FACTS.md'),
  ('094b7e4f-1795-4d33-a714-a637c1098ba6', 'childline-helpline', (SELECT pk FROM organisation WHERE slug = 'childline'), 1,
   'Childline helpline', 'helpline', NULL,
   'A free, confidential helpline for children and young people under 19.',
   NULL, 18, 'DIRECTORY-FACTS.md'),
  ('a0233f0e-63fb-431b-bf82-8c73c2221e78', 'report-remove', (SELECT pk FROM organisation WHERE slug = 'childline'), 2,
   'Report Remove', 'reporting-tool', 'https://www.childline.org.uk',
   'Run by Childline with the Internet Watch Foundation: a young person under 18 can report a nude image or video of themselves that has been shared online, so that it can be removed. It is reached from Childline''s website.',
   NULL, 17, 'DIRECTORY-FACTS.md'),
  ('a6cb3138-c2e1-44b7-893b-e840c703810e', 'childline-online-mobile-safety', (SELECT pk FROM organisation WHERE slug = 'childline'), 3,
   'Childline online and mobile safety resources', 'guidance', NULL,
   'A broad range of online and mobile safety resources for children and young people.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('f135db1f-b969-4391-8987-9dc0bb4df47a', 'childnet-online-safety-resources', (SELECT pk FROM organisation WHERE slug = 'childnet'), 1,
   'Childnet online safety resources', 'website', NULL,
   'Resources for ages 3 to 18, parents, carers and professionals about online safety, cyberbullying, sexting, peer pressure and self-esteem.',
   3, 18, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('6cffb85f-e37c-481e-bb11-3c8011ffa83c', 'crossing-the-line', (SELECT pk FROM organisation WHERE slug = 'childnet'), 2,
   'Crossing the Line: PSHE toolkit', 'education-pack', NULL,
   'A PSHE toolkit with films and lesson plans for 11 to 14 year olds, quality-assured by the PSHE Association.',
   11, 14, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('584cd4b6-e036-4549-a7be-e31fb0cfa70b', 'be-safe-be-smart-online', (SELECT pk FROM organisation WHERE slug = 'childnet'), 3,
   'Be Safe, Be Smart Online', 'guidance', NULL,
   'Produced with the National Deaf Children''s Society to help deaf young people and their parents, carers and teachers stay safe online.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('3d3d318d-cd45-43b8-9fa4-307c25bc872f', 'uksic-online-safety-advice', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 1,
   'Online safety tips, advice and resources', 'website', NULL,
   'Tips, advice and resources to help children and young people stay safe on the internet, for children, young people, parents, carers and professionals.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('eb6cdcbd-a061-482a-8706-5add8c5de60a', 'safer-internet-day', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 2,
   'Safer Internet Day', 'campaign', NULL,
   'Materials for Safer Internet Day.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('c0684398-a373-47db-b08d-02c172f76c6b', 'professionals-online-safety-helpline', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 3,
   'Professionals Online Safety Helpline', 'helpline', NULL,
   'A helpline for professionals with online safety questions about the children and young people they work with.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('0fafb703-81d1-4882-8cf8-a6faa1abb383', 'uksic-reporting-sexual-abuse-content', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 4,
   'Reporting online sexual abuse content', 'guidance', NULL,
   'Information about how to report online sexual abuse content.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('d2e8cc3d-3c11-44a3-9396-12738889d341', 'uksic-online-safety-policies', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 5,
   'Online safety policies', 'guidance', NULL,
   'Help with writing online safety policies.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('5599b123-871e-45b2-9d9d-36c335837e15', 'uksic-social-network-safety-features', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 6,
   'Safety features on social networks', 'guidance', NULL,
   'Information about the safety features on social networks.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('4b635df6-44a9-4da5-85e9-6588f1bdb513', 'uksic-family-agreements', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 7,
   'Family agreements', 'guidance', NULL,
   'Family agreements to help families agree how they use the internet.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('6738208a-eaec-48ff-bed8-78d429531fb3', 'uksic-newsletters', (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'), 8,
   'Online safety newsletters', 'website', NULL,
   'Online safety newsletters.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('c4ef5ab4-9ede-4844-a506-2850c3ff4664', 'iwf-anonymous-report', (SELECT pk FROM organisation WHERE slug = 'internet-watch-foundation'), 1,
   'Report sexual images of children anonymously', 'reporting-tool', 'https://report.iwf.org.uk',
   'Report online child sexual abuse imagery to the Internet Watch Foundation, without giving your name.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('f3b8d317-e407-4a01-b662-13e3a6a49317', 'aba-bullying-mental-health-research', (SELECT pk FROM organisation WHERE slug = 'anti-bullying-alliance'), 1,
   'Research on school bullying and mental health', 'guidance', NULL,
   'Findings on how being involved in school bullying, as a victim, a bully or both, affects mental health through adolescence and into adulthood.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('6d773d9c-7d8c-4ce7-b091-2676a14ba732', 'parent-info', (SELECT pk FROM organisation WHERE slug = 'parent-info'), 1,
   'Parent Info', 'website', 'https://parentinfo.org',
   'Advice for parents on issues such as the warning signs of self-harm, body image and managing money in a digital world, and where to get more support.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('59dd2f46-780f-4fd3-abd9-a848f7c3be64', 'key-principles-prevention-education', (SELECT pk FROM organisation WHERE slug = 'pshe-association'), 1,
   'Key principles of effective prevention education', 'guidance', NULL,
   'Eleven key principles, produced on behalf of CEOP, to help PSHE education professionals teach high-quality online safety education.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('03dcbcca-ca5d-4585-ab09-fc0e56196383', 'stop-it-now-helpline', (SELECT pk FROM organisation WHERE slug = 'stop-it-now'), 1,
   'Stop it Now! helpline', 'helpline', NULL,
   'A confidential freephone helpline for adults worried about their own or someone else''s thoughts or behaviour.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('a8885b8b-4545-4b4d-b108-9335da1d01cb', 'stop-it-now-film', (SELECT pk FROM organisation WHERE slug = 'stop-it-now'), 2,
   'Stop it Now! film', 'film', NULL,
   'A film to deter people from viewing and sharing sexual images of children.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('a0738cdf-99fe-425e-a3ab-4134d1be8573', 'derby-online-safety-pages', (SELECT pk FROM organisation WHERE slug = 'derby-city-council'), 1,
   'Derby City Council online safety pages', 'website', NULL,
   'Derby City Council''s web pages about online safety.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('563089bd-1039-42ec-9eda-b451026f118e', 'derby-childrens-social-care', (SELECT pk FROM organisation WHERE slug = 'derby-city-council'), 2,
   'Derby Children''s Social Care', 'service', NULL,
   'A young person, parent or carer can contact Children''s Social Care to discuss concerns about a child.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('6498f999-4724-4a20-96cf-c498d0a6e395', 'derbyshire-online-safety-pages', (SELECT pk FROM organisation WHERE slug = 'derbyshire-county-council'), 1,
   'Derbyshire County Council online safety pages', 'website', NULL,
   'Derbyshire County Council''s web pages about online safety.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('1f98bb6a-890b-47d7-bb9a-367c0181e0f5', 'derbyshire-childrens-social-care', (SELECT pk FROM organisation WHERE slug = 'derbyshire-county-council'), 2,
   'Derbyshire Children''s Social Care', 'service', NULL,
   'A young person, parent or carer can contact Children''s Social Care to discuss concerns about a child.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('f9a2454d-7006-421c-ac9c-90d6498c5db8', 'derbyshire-schools-net-resources', (SELECT pk FROM organisation WHERE slug = 'derbyshire-schools-net'), 1,
   'Keeping children safe in education resources', 'website', NULL,
   'Information and a range of resources for keeping children safe in education.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('b7e7fa7f-7bb9-4410-b39c-a2b512df62fa', 'ddscp-safeguarding-procedures', (SELECT pk FROM organisation WHERE slug = 'ddscp'), 1,
   'Derby and Derbyshire Safeguarding Children Procedures', 'guidance', NULL,
   'What to do if you are concerned about abusive images of children online or that a child is at risk of online abuse.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('2926642e-29ed-4bb9-9088-1ec926d17467', 'ddscp-briefing-sexual-communication', (SELECT pk FROM organisation WHERE slug = 'ddscp'), 2,
   'Briefing note: offence of sexual communication with a child', 'guidance', NULL,
   'A briefing note on the offence of sexual communication with a child, introduced by the Serious Crime Act 2015.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('24586713-ff4f-4c95-9aad-0edc98aa17aa', 'sharing-nudes-and-semi-nudes', (SELECT pk FROM organisation WHERE slug = 'ukcis'), 1,
   'Sharing nudes and semi-nudes: advice for education settings working with children and young people', 'guidance', NULL,
   'Advice for schools and colleges on young people sharing nudes and semi-nudes, first published in December 2020; it replaces Sexting in Schools and Colleges (2016).',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page'),
  ('66462cc3-1b25-416d-9005-d39cccee1905', 'sexting-in-schools-and-colleges', (SELECT pk FROM organisation WHERE slug = 'ukcis'), 2,
   'Sexting in Schools and Colleges: responding to incidents and safeguarding young people (2016)', 'guidance', NULL,
   'The 2016 guidance for schools and colleges, since replaced by Sharing nudes and semi-nudes (December 2020): responding to disclosures, handling devices and imagery, risk assessment, involving other agencies and parents, recording incidents and preventative education.',
   NULL, NULL, 'DIRECTORY-FACTS.md; Derby and Derbyshire Safeguarding Children Partnership "Online Abuse" page');

-- Resource tags: every audience and topic the facts support. Where a tag is
-- not plain from the resource's own summary, the comment says which fact
-- (DIRECTORY-FACTS.md, "facts") or passage of the source text ("source")
-- supports it.
-- ceop-safety-centre: facts: "report online sexual abuse or grooming"; child-sexual-abuse-images:
--   online sexual abuse of a child includes sexual images of them, and the images
--   guidance sends people here to report; exploitation: CEOP works against sexual
--   abuse and exploitation of children (source).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'ceop-safety-centre' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'ceop-safety-centre' AND t.slug IN ('reporting', 'grooming', 'exploitation', 'child-sexual-abuse-images');
-- thinkuknow: source: resources "for children, young people, parents, carers and
--   professionals" to keep "safe from sexual abuse and exploitation", including
--   "knowing how to get support and report abuse" (reporting).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'thinkuknow' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'thinkuknow' AND t.slug IN ('online-abuse', 'grooming', 'exploitation', 'prevention-education', 'reporting');
-- nspcc-online-safety-advice: facts: games, sexting (sharing-nudes), parental controls, talking to
--   children about online safety (parents), resources for schools
--   (professionals, prevention-education).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'nspcc-online-safety-advice' AND a.slug IN ('parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'nspcc-online-safety-advice' AND t.slug IN ('online-abuse', 'sharing-nudes', 'parental-controls', 'prevention-education');
-- stop-speak-support: facts: "cyberbullying, for young people".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'stop-speak-support' AND a.slug IN ('young-people');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'stop-speak-support' AND t.slug IN ('cyberbullying');
-- nspcc-helpline: facts: "for adults worried about a child".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'nspcc-helpline' AND a.slug IN ('parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'nspcc-helpline' AND t.slug IN ('online-abuse');
-- childline-helpline: facts: free confidential helpline for under-19s. Every topic page's "What to
--   do if you are worried" sends a child or young person to it, whatever the
--   form of online abuse: grooming, cyberbullying, sharing nudes, exploitation.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'childline-helpline' AND a.slug IN ('children', 'young-people');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'childline-helpline' AND t.slug IN ('online-abuse', 'grooming', 'cyberbullying', 'sharing-nudes', 'exploitation');
-- report-remove: facts: lets a young person under 18 report a nude image or video of
--   themselves that has been shared online, so that it can be removed (reporting,
--   sharing-nudes); in law an indecent image of anyone under 18, including one a
--   young person made of themselves, is a child sexual abuse image (facts, "The
--   law"), and the Internet Watch Foundation runs it with Childline.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'report-remove' AND a.slug IN ('children', 'young-people');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'report-remove' AND t.slug IN ('sharing-nudes', 'child-sexual-abuse-images', 'reporting');
-- childline-online-mobile-safety: facts: "online and mobile safety resources for children and young people".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'childline-online-mobile-safety' AND a.slug IN ('children', 'young-people');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'childline-online-mobile-safety' AND t.slug IN ('online-abuse');
-- childnet-online-safety-resources: facts: ages 3 to 18 (children, young people), parents, carers and
--   professionals; sexting (sharing-nudes); peer pressure and self-esteem
--   (peer-pressure).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'childnet-online-safety-resources' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'childnet-online-safety-resources' AND t.slug IN ('online-abuse', 'cyberbullying', 'sharing-nudes', 'peer-pressure');
-- crossing-the-line: facts: PSHE toolkit, films and lesson plans (professionals,
--   prevention-education), ages 11 to 14 (young people). The facts give no
--   subjects of its own: cyberbullying, sharing-nudes and peer-pressure are the
--   subjects of the Childnet resources the source lists it among.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'crossing-the-line' AND a.slug IN ('young-people', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'crossing-the-line' AND t.slug IN ('prevention-education', 'cyberbullying', 'sharing-nudes', 'peer-pressure');
-- be-safe-be-smart-online: source: for deaf young people and their parents, carers and teachers, to
--   "help and remind them how to stay safe online".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'be-safe-be-smart-online' AND a.slug IN ('deaf-young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'be-safe-be-smart-online' AND t.slug IN ('online-abuse', 'prevention-education');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'uksic-online-safety-advice' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'uksic-online-safety-advice' AND t.slug IN ('online-abuse', 'prevention-education');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'safer-internet-day' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'safer-internet-day' AND t.slug IN ('prevention-education');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'professionals-online-safety-helpline' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'professionals-online-safety-helpline' AND t.slug IN ('online-abuse', 'reporting');
-- uksic-reporting-sexual-abuse-content: facts: "reporting online sexual abuse content".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'uksic-reporting-sexual-abuse-content' AND a.slug IN ('young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'uksic-reporting-sexual-abuse-content' AND t.slug IN ('reporting', 'child-sexual-abuse-images');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'uksic-online-safety-policies' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'uksic-online-safety-policies' AND t.slug IN ('prevention-education');
-- uksic-social-network-safety-features: the parental-controls topic is "parental controls, safety features on
--   social networks and family agreements".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'uksic-social-network-safety-features' AND a.slug IN ('young-people', 'parents');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'uksic-social-network-safety-features' AND t.slug IN ('parental-controls');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'uksic-family-agreements' AND a.slug IN ('children', 'parents');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'uksic-family-agreements' AND t.slug IN ('parental-controls');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'uksic-newsletters' AND a.slug IN ('parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'uksic-newsletters' AND t.slug IN ('prevention-education');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'iwf-anonymous-report' AND a.slug IN ('young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'iwf-anonymous-report' AND t.slug IN ('reporting', 'child-sexual-abuse-images');
-- aba-bullying-mental-health-research: source: school bullying and mental health (the wellbeing topic page names it).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'aba-bullying-mental-health-research' AND a.slug IN ('parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'aba-bullying-mental-health-research' AND t.slug IN ('cyberbullying', 'wellbeing');
-- parent-info: facts: self-harm warning signs, body image, money (wellbeing); schools use
--   it (professionals).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'parent-info' AND a.slug IN ('parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'parent-info' AND t.slug IN ('wellbeing');
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'key-principles-prevention-education' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'key-principles-prevention-education' AND t.slug IN ('prevention-education');
-- stop-it-now-helpline: facts: for adults worried about their own or someone else's thoughts or
--   behaviour, in a child sexual abuse prevention campaign.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'stop-it-now-helpline' AND a.slug IN ('worried-adults');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'stop-it-now-helpline' AND t.slug IN ('child-sexual-abuse-images');
-- stop-it-now-film: facts: "film to deter viewing and sharing sexual images of children".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'stop-it-now-film' AND a.slug IN ('worried-adults');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'stop-it-now-film' AND t.slug IN ('child-sexual-abuse-images', 'prevention-education');
-- derby-online-safety-pages: source: the resources listed (these pages first) "help practitioners,
--   parents, children and young people keep up to date".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'derby-online-safety-pages' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'derby-online-safety-pages' AND t.slug IN ('online-abuse');
-- derby-childrens-social-care: facts: "a young person, parent or carer can contact them to discuss
--   concerns" (reporting: the reporting page's "Concerns about a child");
--   professionals: the source's guidance for schools includes "escalation to the
--   police and Children's Social Care".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'derby-childrens-social-care' AND a.slug IN ('young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'derby-childrens-social-care' AND t.slug IN ('online-abuse', 'reporting');
-- derbyshire-online-safety-pages: as derby-online-safety-pages.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'derbyshire-online-safety-pages' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'derbyshire-online-safety-pages' AND t.slug IN ('online-abuse');
-- derbyshire-childrens-social-care: as derby-childrens-social-care.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'derbyshire-childrens-social-care' AND a.slug IN ('young-people', 'parents', 'professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'derbyshire-childrens-social-care' AND t.slug IN ('online-abuse', 'reporting');
-- derbyshire-schools-net-resources: facts: "keeping children safe in education".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'derbyshire-schools-net-resources' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'derbyshire-schools-net-resources' AND t.slug IN ('online-abuse', 'prevention-education');
-- ddscp-safeguarding-procedures: source: for concerns about "abusive images of children online or that a
--   child is at risk of online abuse"; reporting: what to do with a concern.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'ddscp-safeguarding-procedures' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'ddscp-safeguarding-procedures' AND t.slug IN ('online-abuse', 'child-sexual-abuse-images', 'reporting');
-- ddscp-briefing-sexual-communication: facts: the offence of sexual communication with a child (grooming page).
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'ddscp-briefing-sexual-communication' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'ddscp-briefing-sexual-communication' AND t.slug IN ('grooming');
-- sharing-nudes-and-semi-nudes: facts: advice for education settings.
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'sharing-nudes-and-semi-nudes' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'sharing-nudes-and-semi-nudes' AND t.slug IN ('sharing-nudes');
-- sexting-in-schools-and-colleges: facts: covers "preventative education".
INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
 WHERE r.slug = 'sexting-in-schools-and-colleges' AND a.slug IN ('professionals');
INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
 WHERE r.slug = 'sexting-in-schools-and-colleges' AND t.slug IN ('sharing-nudes', 'prevention-education');

-- Organisation tags: what the source and the facts say each serves, and at
-- least the union of its resources' tags (the topic filter and the facet counts
-- read these rows, not the resources'). Comments as for the resource tags.
-- ceop: its resources (Safety Centre, Thinkuknow); prevention-education also: the
--   Key principles were produced for CEOP.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'ceop' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'ceop' AND t.slug IN ('online-abuse', 'grooming', 'child-sexual-abuse-images', 'exploitation', 'reporting', 'prevention-education');
-- nspcc: its resources (online safety advice, Stop, Speak, Support, the Helpline).
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'nspcc' AND a.slug IN ('young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'nspcc' AND t.slug IN ('online-abuse', 'sharing-nudes', 'cyberbullying', 'prevention-education', 'parental-controls');
-- childline: its resources: the helpline (grooming, cyberbullying, sharing-nudes,
--   exploitation), Report Remove (sharing-nudes, child-sexual-abuse-images,
--   reporting), online and mobile safety resources.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'childline' AND a.slug IN ('children', 'young-people');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'childline' AND t.slug IN ('online-abuse', 'grooming', 'child-sexual-abuse-images', 'sharing-nudes', 'cyberbullying', 'exploitation', 'reporting');
-- childnet: facts: ages 3 to 18, parents, carers, professionals; Be Safe, Be Smart
--   Online for deaf young people and their families; online safety,
--   cyberbullying, sexting, peer pressure, self-esteem; a PSHE toolkit.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'childnet' AND a.slug IN ('children', 'young-people', 'parents', 'professionals', 'deaf-young-people');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'childnet' AND t.slug IN ('online-abuse', 'sharing-nudes', 'cyberbullying', 'prevention-education', 'peer-pressure');
-- uk-safer-internet-centre: its resources; source: for "children, young people, parents, carers,
--   teachers and other professionals".
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'uk-safer-internet-centre' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'uk-safer-internet-centre' AND t.slug IN ('online-abuse', 'child-sexual-abuse-images', 'reporting', 'prevention-education', 'parental-controls');
-- internet-watch-foundation: facts: removes online child sexual abuse imagery, anonymous reports; runs
--   Report Remove with Childline, for under-18s (children, young-people,
--   sharing-nudes); a partner in the source's sexting guidance.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'internet-watch-foundation' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'internet-watch-foundation' AND t.slug IN ('child-sexual-abuse-images', 'sharing-nudes', 'reporting');
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'anti-bullying-alliance' AND a.slug IN ('parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'anti-bullying-alliance' AND t.slug IN ('cyberbullying', 'wellbeing');
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'parent-info' AND a.slug IN ('parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'parent-info' AND t.slug IN ('wellbeing');
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'pshe-association' AND a.slug IN ('professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'pshe-association' AND t.slug IN ('prevention-education');
-- stop-it-now: source: educates members of the public (parents) and trains those who work
--   with children and families (professionals); the helpline and film.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'stop-it-now' AND a.slug IN ('parents', 'professionals', 'worried-adults');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'stop-it-now' AND t.slug IN ('child-sexual-abuse-images', 'prevention-education');
-- lucy-faithfull-foundation: runs Stop it Now!, so the same tags.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'lucy-faithfull-foundation' AND a.slug IN ('parents', 'professionals', 'worried-adults');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'lucy-faithfull-foundation' AND t.slug IN ('child-sexual-abuse-images', 'prevention-education');
-- national-deaf-childrens-society: partner in Be Safe, Be Smart Online (its tags).
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'national-deaf-childrens-society' AND a.slug IN ('parents', 'professionals', 'deaf-young-people');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'national-deaf-childrens-society' AND t.slug IN ('online-abuse', 'prevention-education');
-- derby-city-council: its resources: online safety pages (for practitioners, parents, children and
--   young people) and Children's Social Care, where concerns about a child are
--   raised (reporting). The facts give Children's Social Care no topic of its
--   own beyond concerns about a child: no sub-topic is claimed for it.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'derby-city-council' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'derby-city-council' AND t.slug IN ('online-abuse', 'reporting');
-- derbyshire-county-council: as derby-city-council.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'derbyshire-county-council' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'derbyshire-county-council' AND t.slug IN ('online-abuse', 'reporting');
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'derbyshire-schools-net' AND a.slug IN ('professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'derbyshire-schools-net' AND t.slug IN ('online-abuse', 'prevention-education');
-- ddscp: its resources (the procedures, the briefing note).
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'ddscp' AND a.slug IN ('professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'ddscp' AND t.slug IN ('online-abuse', 'grooming', 'child-sexual-abuse-images', 'reporting');
-- police: facts: 999 in an emergency (anyone); harassment by use of ICT is a
--   criminal offence, report concerns to the police (cyberbullying, reporting).
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'police' AND a.slug IN ('children', 'young-people', 'parents', 'professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'police' AND t.slug IN ('online-abuse', 'cyberbullying', 'reporting');
-- ukcis: its resources.
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'ukcis' AND a.slug IN ('professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'ukcis' AND t.slug IN ('sharing-nudes', 'prevention-education');
-- npcc: facts: published the 2016 sexting guidance with partners, which covers
--   "preventative education".
INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
 WHERE o.slug = 'npcc' AND a.slug IN ('professionals');
INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
 WHERE o.slug = 'npcc' AND t.slug IN ('sharing-nudes', 'prevention-education');

-- "Get help now": the urgent channels, in display order (999 first). hours NULL:
-- the facts sheet gives no opening hours.
INSERT INTO help_channel (position, label, description, kind, value, hours, org_pk) VALUES
  (1, 'Emergency', 'If a child is in immediate danger, call 999 for the police.',
   'phone', '999', NULL, (SELECT pk FROM organisation WHERE slug = 'police')),
  (2, 'Childline', 'Free, confidential help for children and young people under 19.',
   'phone', '0800 1111', NULL, (SELECT pk FROM organisation WHERE slug = 'childline')),
  (3, 'NSPCC Helpline', 'For adults who are worried about a child.',
   'phone', '0808 800 5000', NULL, (SELECT pk FROM organisation WHERE slug = 'nspcc')),
  (4, 'NSPCC Helpline by email', 'For adults who are worried about a child.',
   'email', 'help@nspcc.org.uk', NULL, (SELECT pk FROM organisation WHERE slug = 'nspcc')),
  (5, 'CEOP Safety Centre', 'Report online sexual abuse or grooming to CEOP, part of the National Crime Agency.',
   'web', 'https://www.ceop.police.uk/Safety-Centre/', NULL, (SELECT pk FROM organisation WHERE slug = 'ceop')),
  (6, 'Internet Watch Foundation', 'Report sexual images of children online, anonymously.',
   'web', 'https://report.iwf.org.uk', NULL, (SELECT pk FROM organisation WHERE slug = 'internet-watch-foundation')),
  (7, 'Stop it Now!', 'A confidential freephone helpline for adults worried about their own or someone else''s thoughts or behaviour.',
   'phone', '0808 1000 900', NULL, (SELECT pk FROM organisation WHERE slug = 'stop-it-now')),
  (8, 'Professionals Online Safety Helpline', 'For professionals with online safety concerns about children and young people they work with.',
   'phone', '0344 381 4772', NULL, (SELECT pk FROM organisation WHERE slug = 'uk-safer-internet-centre'));
